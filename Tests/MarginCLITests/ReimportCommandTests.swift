import Foundation
import MarginStore
import Testing

/// `margin import FILE` again, after a peer edited the report: the edit stands, the file's own changes merge in,
/// a clash writes nothing and says how to go on, and `--replace` writes the file's text.
@Suite("Re-import after an edit made elsewhere")
struct ReimportCommandTests {
    static let text = """
        红旗小学2025年春季学期德育工作小结
        本学期学校以习惯养成和家校沟通为重点开展德育工作。
        一、习惯养成
        开展文明班级评比,每月表彰十个班级。
        二、家校沟通
        召开家长会两次,教师家访一百二十户。
        """

    struct Imported: Decodable {
        struct Summary: Decodable { var reports: [Report] }
        struct Report: Decodable { var outcome: String; var laterEdits: String? }
        var imported: [Summary]
    }

    @Test func anEditMadeOnAnotherPeerSurvivesImportingTheFileAgain() async throws {
        let a = try await CLISandbox.initialized(author: "a")
        let b = try await CLISandbox.initialized(author: "b")
        let file = try a.write("红旗小学.txt", text: Self.text)
        #expect(await a.run("import", file).status == 0)
        let report = try #require(try a.open().reports().first).shortID
        try ConflictCommandTests.exchange(a, b)
        let edited = try b.write("edited.txt", text: Self.text.replacingOccurrences(of: "十个班级", with: "优秀班级"))
        #expect(await b.run("edit", report, "--file", edited).status == 0)
        try ConflictCommandTests.exchange(a, b)

        let again = await a.run("import", file)
        #expect(again.status == 0, "\(again.errors)")
        #expect(again.output.contains("0 new revisions"))
        #expect(again.output.contains("\(report): edited since 红旗小学.txt was last imported"))
        #expect(await a.run("show", report + "/1").output.contains("优秀班级"))
        let json = try await a.run("import", file, "--json").decode(Imported.self)
        #expect(json.imported.first?.reports.first?.laterEdits == "kept")

        // The file's own change to another section merges with the edit.
        _ = try a.write("红旗小学.txt", text: Self.text.replacingOccurrences(of: "一百二十户", with: "一百五十户"))
        let merged = await a.run("import", file)
        #expect(merged.status == 0, "\(merged.errors)")
        #expect(merged.output.contains("\(report): the file's changes were merged"))
        #expect(await a.run("show", report + "/1").output.contains("优秀班级"))
        #expect(await a.run("show", report + "/2").output.contains("一百五十户"))

        // A change to the edited sentence clashes: nothing written, and the message names both ways on.
        _ = try a.write("红旗小学.txt", text: Self.text.replacingOccurrences(of: "十个班级", with: "八个班级"))
        let before = try a.changeCount()
        let clash = await a.run("import", file)
        #expect(clash.status == 1)
        #expect(clash.errors.contains("margin edit \(report)") && clash.errors.contains("--replace"))
        #expect(try a.changeCount() == before)

        let replaced = await a.run("import", file, "--replace")
        #expect(replaced.status == 0, "\(replaced.errors)")
        #expect(await a.run("show", report + "/1").output.contains("八个班级"))
    }
}

/// `margin edit REPORT --file FILE` with a file saved before a sync brought another peer's edit.
@Suite("Edit from a file saved before another peer's edit")
struct StaleEditFileTests {
    @Test func aStaleFileIsRefusedUnlessReplaceIsGiven() async throws {
        let a = try await CLISandbox.initialized(author: "a")
        let b = try await CLISandbox.initialized(author: "b")
        let file = try a.write("红旗小学.txt", text: ReimportCommandTests.text)
        #expect(await a.run("import", file).status == 0)
        let report = try #require(try a.open().reports().first).shortID
        try ConflictCommandTests.exchange(a, b)
        let edited = try b.write("edited.txt", text: ReimportCommandTests.text.replacingOccurrences(of: "两次", with: "三次"))
        #expect(await b.run("edit", report, "--file", edited).status == 0)
        try ConflictCommandTests.exchange(a, b)

        // A's copy was saved before B's edit arrived, with a change of A's own to the other section.
        let stale = try a.write("mine.txt", text: ReimportCommandTests.text.replacingOccurrences(of: "十个班级", with: "优秀班级"))
        let before = try a.changeCount()
        let refused = await a.run("edit", report, "--file", stale)
        #expect(refused.status == 1)
        #expect(refused.errors.contains("2 二、家校沟通") && refused.errors.contains("--replace"), "\(refused.errors)")
        #expect(try a.changeCount() == before)
        #expect(await a.run("edit", report, "--replace").status == 64)

        let replaced = await a.run("edit", report, "--file", stale, "--replace")
        #expect(replaced.status == 0, "\(replaced.errors)")
        #expect(await a.run("show", report + "/2").output.contains("两次"))
    }
}
