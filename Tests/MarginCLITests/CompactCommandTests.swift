import Foundation
import GRDB
import MarginStore
import Testing

@Suite("margin compact, and the hint in margin status")
struct CompactCommandTests {
    /// Leaves `megabytes` of free pages in the sandbox's store: a table of that size, written and dropped.
    static func leaveFreePages(_ sandbox: CLISandbox, megabytes: Int) throws {
        let queue = try DatabaseQueue(
            path: (sandbox.storePath as NSString).appendingPathComponent(MarginStore.databaseFileName))
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE scratch (bytes BLOB)")
            try db.execute(sql: "INSERT INTO scratch VALUES (zeroblob(?))", arguments: [megabytes << 20])
            try db.execute(sql: "DROP TABLE scratch")
        }
        try queue.close()
    }

    @Test("status says when a quarter of the file is free; compact gives it back and says how much")
    func compactGivesBackWhatStatusNamed() async throws {
        let sandbox = try await CLISandbox.seeded()
        let quiet = await sandbox.run("status")
        #expect(quiet.status == 0)
        #expect(!quiet.output.contains("margin compact"), "\(quiet.output)")

        try Self.leaveFreePages(sandbox, megabytes: 4)
        let hinted = await sandbox.run("status")
        #expect(hinted.output.contains("of it free"), "\(hinted.output)")
        #expect(hinted.output.contains("`margin compact` gives it back"))
        let before = try await sandbox.run("status", "--json").decode(StatusFile.self).file
        #expect(before.freeBytes >= 4 << 20)

        let compacted = await sandbox.run("compact", "--json")
        #expect(compacted.status == 0, "\(compacted.errors)")
        let report = try compacted.decode(CompactReport.self)
        #expect(report.before == before)
        #expect(report.after.freeBytes == 0)
        #expect(report.after.bytes <= before.bytes - before.freeBytes, "VACUUM also packs half-empty pages")
        #expect(!(await sandbox.run("status")).output.contains("margin compact"))

        // In words, a second time: nothing left to give back.
        let again = await sandbox.run("compact")
        #expect(again.status == 0)
        #expect(again.output.hasPrefix("Store file: "), "\(again.output)")
        #expect(again.output.contains("(0.0 MB given back)"), "\(again.output)")
        #expect(try await sandbox.run("reports", "--json").status == 0)
    }

    private struct Space: Decodable, Equatable {
        var bytes: Int64
        var freeBytes: Int64
    }

    private struct StatusFile: Decodable {
        var file: Space
    }

    private struct CompactReport: Decodable {
        var before: Space
        var after: Space
    }
}
