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

    /// A, which imported `红旗小学.txt` (``text``), and B, whose `margin edit` of the report (`old` → `new`) A has
    /// received.
    static func importedThenEditedOnB(
        replacing old: String, with new: String
    ) async throws -> (a: CLISandbox, b: CLISandbox, file: String, report: String) {
        let a = try await CLISandbox.initialized(author: "a")
        let b = try await CLISandbox.initialized(author: "b")
        let file = try a.write("红旗小学.txt", text: text)
        #expect(await a.run("import", file).status == 0)
        let report = try #require(try a.open().reports().first).shortID
        try ConflictCommandTests.exchange(a, b)
        let edited = try b.write("edited.txt", text: text.replacingOccurrences(of: old, with: new))
        #expect(await b.run("edit", report, "--file", edited).status == 0)
        try ConflictCommandTests.exchange(a, b)
        return (a, b, file, report)
    }

    struct Imported: Decodable {
        struct Summary: Decodable { var reports: [Report] }
        struct Report: Decodable { var outcome: String; var laterEdits: String? }
        var imported: [Summary]
    }

    @Test func anEditMadeOnAnotherPeerSurvivesImportingTheFileAgain() async throws {
        let (a, _, file, report) = try await ReimportCommandTests.importedThenEditedOnB(replacing: "十个班级", with: "优秀班级")

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

/// `margin import --dry-run FILE` in a store: what the import would do there, with nothing written.
@Suite("Dry run of a re-import")
struct ReimportDryRunTests {
    struct DryRun: Decodable {
        struct File: Decodable { var store: Store? }
        struct Store: Decodable { var wouldImport: ReimportCommandTests.Imported.Summary?; var refused: String? }
        var files: [File]
    }

    @Test func aDryRunSaysWhatTheImportWouldDoWithLaterEditsAndWritesNothing() async throws {
        let (a, _, file, report) = try await ReimportCommandTests.importedThenEditedOnB(replacing: "十个班级", with: "优秀班级")
        let before = try a.changeCount()

        let unchanged = await a.run("import", "--dry-run", file)
        #expect(unchanged.status == 0, "\(unchanged.errors)")
        #expect(unchanged.output.contains("in the store \(a.storePath): 0 new revisions would be written"))
        #expect(unchanged.output.contains("\(report) “红旗小学2025年春季学期德育工作小结” would be left as it is: edited since"))
        let json = try await a.run("import", "--dry-run", file, "--json").decode(DryRun.self)
        #expect(json.files.first?.store?.wouldImport?.reports.first?.laterEdits == "kept")

        _ = try a.write("红旗小学.txt", text: ReimportCommandTests.text.replacingOccurrences(of: "一百二十户", with: "一百五十户"))
        let merging = await a.run("import", "--dry-run", file)
        #expect(merging.status == 0, "\(merging.errors)")
        #expect(merging.output.contains("1 new revision would be written"))
        #expect(merging.output.contains("would be revised, the file's changes merged with the edits made since"))

        // A clash: the dry run fails as the import would, with the import's reason.
        _ = try a.write("红旗小学.txt", text: ReimportCommandTests.text.replacingOccurrences(of: "十个班级", with: "八个班级"))
        let clash = await a.run("import", "--dry-run", file)
        #expect(clash.status == 1)
        #expect(clash.output.contains("nothing would be written"))
        #expect(clash.errors.contains("the import would write nothing") && clash.errors.contains("--replace"))
        let replacing = await a.run("import", "--dry-run", "--replace", file)
        #expect(replacing.status == 0, "\(replacing.errors)")
        #expect(replacing.output.contains("\(report) “红旗小学2025年春季学期德育工作小结” would be revised"))

        #expect(try a.changeCount() == before)
        #expect(await a.run("show", report + "/1").output.contains("优秀班级"))
    }

    @Test func aDryRunNamesTheNotesANewTextWouldMoveAndWithoutAStoreSaysSo() async throws {
        let sandbox = try await CLISandbox.initialized()
        let file = try sandbox.write("红旗小学.txt", text: ReimportCommandTests.text)
        #expect(await sandbox.run("import", file).status == 0)
        let report = try #require(try sandbox.open().reports().first).shortID
        let noted = await sandbox.run("annotate", report + "/2", "核对家访记录", "--quote", "教师家访一百二十户")
        #expect(noted.status == 0, "\(noted.errors)")
        _ = try sandbox.write("红旗小学.txt", text: ReimportCommandTests.text.replacingOccurrences(of: "教师家访一百二十户", with: "教师家访一百五十户"))
        let before = try sandbox.changeCount()

        let result = await sandbox.run("import", "--dry-run", file)
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.contains("would be revised"))
        let line = try #require(result.lines.first { $0.contains("“教师家访一百二十户” would") })
        #expect(try sandbox.changeCount() == before)
        // The import then does what the dry run said.
        let imported = await sandbox.run("import", file)
        let said = line.contains("would be orphaned") ? "orphaned" : "re-anchored"
        #expect(imported.output.contains("“教师家访一百二十户” \(said)"), "\(line) / \(imported.output)")

        let elsewhere = await CLISandbox.runBare(["import", "--dry-run", "--store", sandbox.storePath + "-none", file])
        #expect(elsewhere.status == 0, "\(elsewhere.errors)")
        #expect(elsewhere.output.contains("in the store: no store at \(sandbox.storePath)-none to compare with"))
    }
}

/// `margin edit REPORT --file FILE` with a file saved before a sync brought another peer's edit.
@Suite("Edit from a file saved before another peer's edit")
struct StaleEditFileTests {
    @Test func aStaleFileIsRefusedUnlessReplaceIsGiven() async throws {
        let (a, _, _, report) = try await ReimportCommandTests.importedThenEditedOnB(replacing: "两次", with: "三次")

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
