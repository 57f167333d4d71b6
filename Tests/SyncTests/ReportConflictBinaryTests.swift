import Foundation
import MarginCore
import MarginStore
import Testing

/// The built `margin` end to end: a report edited on two peers that sync through `margin serve` is a conflict both
/// peers show; an import meanwhile is refused with nothing written; `resolve --merge` on one peer settles it on both
/// with both edits kept.
@Suite struct ReportConflictBinaryTests {
    static let text = """
        青石乡教育办2025年上半年工作小结
        上半年全乡学校围绕安全和阅读两项重点推进工作。
        一、校园安全
        开展消防演练四次,排查隐患十一处并全部整改。
        二、课外阅读
        各校图书角新增图书六百册,每周开放两个下午。
        """

    @Test func aReportEditedOnTwoPeersIsSettledOnBothByOneMerge() throws {
        guard let margin = MarginBinaryTests.marginExecutable() else {
            Issue.record("No built `margin` executable found; run `swift build` before `swift test`.")
            return
        }
        let hubPath = SyncTestSupport.temporaryFolder("hub")
        let alice = SyncTestSupport.temporaryFolder("alice")
        let bob = SyncTestSupport.temporaryFolder("bob")
        for (path, author) in [(hubPath, "hub"), (alice, "alice"), (bob, "bob")] {
            _ = try MarginStore.create(at: path, author: author)
        }
        let (server, url) = try MarginBinaryTests.serve(margin, store: hubPath)
        defer { if server.isRunning { server.terminate() } }
        func run(_ arguments: String..., in store: String) throws -> (status: Int32, output: String, errors: String) {
            try MarginBinaryTests.run(margin, arguments + ["--store", store])
        }
        func write(_ text: String, _ name: String) throws -> String {
            let path = SyncTestSupport.temporaryFolder("text") + "-" + name
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
        struct Summary: Decodable { var openConflicts: Int }
        func sync(_ store: String) throws -> Summary {
            let synced = try run("sync", "--json", in: store)
            #expect(synced.status == 0, "\(synced.errors)")
            return try JSONDecoder().decode(Summary.self, from: Data(synced.output.utf8))
        }

        let original = try write(Self.text, "青石乡.txt")
        #expect(try run("import", original, in: alice).status == 0)
        for store in [alice, bob] {
            #expect(try run("remote", "add", "hub", url, "--token", "t0ken", in: store).status == 0)
        }
        _ = try sync(alice)
        _ = try sync(bob)
        let report = try #require(try MarginStore.open(at: bob).reports().first).shortID

        let ours = try write(Self.text.replacingOccurrences(of: "十一处", with: "十三处"), "ours.txt")
        let theirs = try write(Self.text.replacingOccurrences(of: "六百册", with: "八百册"), "theirs.txt")
        #expect(try run("edit", report, "--file", ours, in: alice).status == 0)
        #expect(try run("edit", report, "--file", theirs, in: bob).status == 0)
        _ = try sync(alice)
        #expect(try sync(bob).openConflicts == 1)
        #expect(try sync(alice).openConflicts == 1)
        for store in [alice, bob] {
            let listed = try run("conflicts", in: store)
            #expect(listed.output.contains("report \(report)"), "\(listed.output)")
        }

        // Importing the file again would settle the conflict with its text: refused, nothing written.
        let before = try SyncTestSupport.revisionIDs(try MarginStore.open(at: bob))
        let imported = try run("import", original, in: bob)
        #expect(imported.status == 1)
        #expect(imported.errors.contains("margin resolve \(report)"))
        #expect(try SyncTestSupport.revisionIDs(try MarginStore.open(at: bob)) == before)

        let merged = try run("resolve", report, "--merge", in: bob)
        #expect(merged.status == 0, "\(merged.errors)")
        #expect(try sync(bob).openConflicts == 0)
        #expect(try sync(alice).openConflicts == 0)
        for store in [alice, bob] {
            let shown = try run("show", report + "/1", in: store).output + (try run("show", report + "/2", in: store)).output
            #expect(shown.contains("十三处") && shown.contains("八百册"), "\(shown)")
            #expect(try run("conflicts", in: store).output.contains("No open conflicts"))
        }
        server.terminate()
        server.waitUntilExit()
        try SyncTestSupport.expectSound(
            try MarginStore.open(at: hubPath), try MarginStore.open(at: alice), try MarginStore.open(at: bob))
    }
}
