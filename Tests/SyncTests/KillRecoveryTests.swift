import Foundation
import MarginCore
import MarginStore
import Testing

/// `kill -9` of the built `margin` binary in the middle of a sync — first the client, then the server — and what
/// is left afterwards: sound SQLite files, nothing written before the fault missing, and a sync that resumes
/// from where it stopped instead of from zero.
@Suite(.serialized) struct KillRecoveryTests {
    static let bulkCount: Int64 = 3_000

    /// A store with the first seed file and `bulkCount` tag revisions of its own, written quickly in pages (its sync
    /// signs them as it signs everything it wrote).
    static func bulkStore() throws -> MarginStore {
        let store = try SyncTestSupport.seededStore(author: "alice", files: 1)
        let report = try #require(try store.reports().first)
        let section = try #require(try store.outline(of: report.id.rawValue).sections.first)
        let origin = store.peer.id
        let held = try store.versionVector()[origin] ?? 0
        var page: [Revision] = []
        for number in 1...bulkCount {
            let tag = "t\(number)"
            let counter = held + number
            page.append(Revision(
                record: Identity.tag(tag, on: section.id), kind: .tag, parents: [], origin: origin, counter: counter,
                clock: 100 + counter, author: "bulk", createdAt: 1_700_000_000_000 + number,
                body: BodyCoding.encode(TagBody(report: report.id, section: section.id, tag: tag, present: true))))
            if page.count == 500 {
                try store.receive(page, source: "bulk")
                page.removeAll()
            }
        }
        return store
    }

    static func revisionCount(_ path: String) throws -> Int {
        try MarginStore.open(at: path).changeLog(limit: 1_000_000).count
    }

    /// Starts `margin sync` with small pages, waits until `progress` says some pages landed, then kills it with SIGKILL.
    static func killMidway(_ margin: URL, _ arguments: [String], progress: () throws -> Bool) throws {
        let client = Process()
        client.executableURL = margin
        client.arguments = arguments
        client.standardOutput = FileHandle.nullDevice
        client.standardError = FileHandle.nullDevice
        try client.run()
        while client.isRunning, try !progress() { usleep(5_000) }
        kill(client.processIdentifier, SIGKILL)
        client.waitUntilExit()
    }

    @Test func clientKilledMidPushThenServerKilledMidPullBothResume() throws {
        guard let margin = MarginBinaryTests.marginExecutable() else {
            Issue.record("No built `margin` executable found; run `swift build` before `swift test`.")
            return
        }
        let alice = try Self.bulkStore()
        let total = try alice.changeLog(limit: 1_000_000).count
        let hubPath = SyncTestSupport.temporaryFolder("hub")
        _ = try MarginStore.create(at: hubPath, author: "hub")
        var (server, url) = try MarginBinaryTests.serve(margin, store: hubPath)
        defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) } }
        #expect(try MarginBinaryTests.run(margin, ["remote", "add", "hub", url, "--token", "t0ken", "--store", alice.path]).status == 0)

        // 1. The client dies with SIGKILL part way through its push.
        try Self.killMidway(margin, ["sync", "--push-only", "--page-size", "20", "--store", alice.path]) {
            try Self.revisionCount(hubPath) > 100
        }
        // The server may still be applying the page that was on its way when the client died: wait until what it
        // holds stops changing (bounded), so that the count below is what the resumed sync finds.
        var afterKill = try Self.revisionCount(hubPath)
        for _ in 0..<50 {
            usleep(200_000)
            let now = try Self.revisionCount(hubPath)
            if now == afterKill { break }
            afterKill = now
        }
        print("kill -9 of the client after \(afterKill) of \(total) revisions reached the server")
        try SyncTestSupport.expectSound(alice, try MarginStore.open(at: hubPath))
        #expect(try alice.changeLog(limit: 1_000_000).count == total)
        // The restarted sync sends only what the server still lacks.
        let resumed = try MarginBinaryTests.run(margin, ["sync", "--push-only", "--json", "--store", alice.path])
        #expect(resumed.status == 0, "\(resumed.errors)")
        #expect(resumed.output.contains("\"sent\" : \(total - afterKill)"), "\(resumed.output)")
        #expect(try Self.revisionCount(hubPath) == total)

        // 2. The server dies with SIGKILL while Bob pulls; it restarts on the same store and Bob resumes.
        let bobPath = SyncTestSupport.temporaryFolder("bob")
        _ = try MarginStore.create(at: bobPath, author: "bob")
        #expect(try MarginBinaryTests.run(margin, ["remote", "add", "hub", url, "--token", "t0ken", "--store", bobPath]).status == 0)
        let pull = Process()
        pull.executableURL = margin
        pull.arguments = ["sync", "--pull-only", "--page-size", "20", "--store", bobPath]
        pull.standardOutput = FileHandle.nullDevice
        pull.standardError = FileHandle.nullDevice
        try pull.run()
        while pull.isRunning, try Self.revisionCount(bobPath) < 100 { usleep(5_000) }
        kill(server.processIdentifier, SIGKILL)
        server.waitUntilExit()
        pull.waitUntilExit()
        let pulledBeforeCrash = try Self.revisionCount(bobPath)
        print("kill -9 of the server after Bob held \(pulledBeforeCrash) of \(total) revisions")
        try SyncTestSupport.expectSound(try MarginStore.open(at: bobPath), try MarginStore.open(at: hubPath))
        #expect(try Self.revisionCount(hubPath) == total)

        (server, url) = try MarginBinaryTests.serve(margin, store: hubPath)
        #expect(try MarginBinaryTests.run(margin, ["remote", "remove", "hub", "--store", bobPath]).status == 0)
        #expect(try MarginBinaryTests.run(margin, ["remote", "add", "hub", url, "--token", "t0ken", "--store", bobPath]).status == 0)
        let finished = try MarginBinaryTests.run(margin, ["sync", "--pull-only", "--json", "--store", bobPath])
        #expect(finished.status == 0, "\(finished.errors)")
        #expect(finished.output.contains("\"received\" : \(total - pulledBeforeCrash)"), "\(finished.output)")
        #expect(try Self.revisionCount(bobPath) == total)
        try SyncTestSupport.expectSound(try MarginStore.open(at: bobPath), try MarginStore.open(at: hubPath))
        server.terminate()
        server.waitUntilExit()
    }
}
