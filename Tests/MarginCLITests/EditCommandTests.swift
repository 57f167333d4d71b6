import Foundation
import MarginCLI
import MarginStore
import Testing

@Suite("margin edit and import --as: a report's text revised by hand or from another file")
struct EditCommandTests {
    static let report = """
        2024年教育局工作总结

        今年以来，我局坚持立德树人根本任务，全面推进各项工作。

        一、主要工作

        全年新建校舍三万平方米，组织教师培训四十场。

        二、存在的问题

        城乡之间教育资源仍不均衡，部分学校班额偏大。
        """

    static let twoReports = """
        【篇一】
        2024年教育局工作总结

        一、主要工作

        新建校舍三万平方米。

        【篇二】
        2024年教育局工作总结

        一、基本情况

        全区共有中小学四十六所。
        """

    struct Imported: Decodable {
        struct File: Decodable { var reports: [Report] }
        struct Report: Decodable { var id: String; var reference: String; var outcome: String }
        var imported: [File]
    }

    struct Edited: Decodable {
        struct Change: Decodable { var id: String; var reference: String; var change: String }
        var id: String
        var reference: String
        var outcome: String
        var sections: Int
        var annotations: [Change]
    }

    /// A sandbox holding `report` imported from 东城区.txt, and its short id.
    static func sandboxWithReport() async throws -> (CLISandbox, String) {
        let sandbox = try await CLISandbox.initialized()
        let file = try sandbox.write("东城区.txt", text: report)
        let result = await sandbox.run("import", file, "--json")
        try #require(result.status == 0, "\(result.errors)")
        let reference = try #require(try result.decode(Imported.self).imported.first?.reports.first?.reference)
        return (sandbox, reference)
    }

    static func headings(_ reference: String, in sandbox: CLISandbox) throws -> [String] {
        try sandbox.open().outline(of: reference).sections.map(\.heading)
    }

    // MARK: - import --as

    @Test func importAsRevisesTheChosenReport() async throws {
        let (sandbox, reference) = try await Self.sandboxWithReport()
        let renamed = Self.report.replacingOccurrences(of: "2024年教育局工作总结", with: "东城区教育局2024年度工作总结")
        let file = try sandbox.write("终稿.txt", text: renamed)
        let result = await sandbox.run("import", file, "--as", reference)
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.lines.first == "终稿.txt: 1 report, 3 sections, 1 new revision")
        let reports = try sandbox.open().reports()
        #expect(reports.count == 1)
        #expect(reports.first?.title == "东城区教育局2024年度工作总结")
    }

    @Test func importAsRefusesAFileWithSeveralReports() async throws {
        let (sandbox, reference) = try await Self.sandboxWithReport()
        let file = try sandbox.write("合集.txt", text: Self.twoReports)
        let before = try sandbox.changeCount()
        let result = await sandbox.run("import", file, "--as", reference)
        #expect(result.status == 64)
        #expect(result.errors.contains("holds 2 reports"), "\(result.errors)")
        #expect(result.errors.contains("without --as"))
        #expect(try sandbox.changeCount() == before)
    }

    @Test func importAsAnUnknownReportSaysNothingMatches() async throws {
        let (sandbox, reference) = try await Self.sandboxWithReport()
        let file = try sandbox.write("终稿.txt", text: Self.report)
        let unused = reference.hasPrefix("ff") ? "eeee" : "ffff"
        let before = try sandbox.changeCount()
        let result = await sandbox.run("import", file, "--as", unused)
        #expect(result.status == 1)
        #expect(result.errors.hasPrefix("error: Nothing matches “\(unused)”"), "\(result.errors)")
        #expect(try sandbox.changeCount() == before)
        let two = await sandbox.run("import", file, file, "--as", reference)
        #expect(two.status == 64)
        #expect(two.errors.contains("name exactly one file"), "\(two.errors)")
    }

    @Test func aChangedTitleIsANewReportAndImportPointsAtAs() async throws {
        let (sandbox, reference) = try await Self.sandboxWithReport()
        let renamed = Self.report.replacingOccurrences(of: "2024年教育局工作总结", with: "东城区教育局2024年度工作总结")
        let file = try sandbox.write("东城区.txt", text: renamed)
        let result = await sandbox.run("import", file)
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.contains("\(reference) “2024年教育局工作总结” came from 东城区.txt before"), "\(result.output)")
        #expect(result.output.contains("margin import 东城区.txt --as \(reference)"))
    }

    @Test func theSameTitleInAnotherFileIsAnotherReport() async throws {
        let (sandbox, _) = try await Self.sandboxWithReport()
        let other = Self.report.replacingOccurrences(of: "三万平方米", with: "两万平方米")
        let file = try sandbox.write("西城区.txt", text: other)
        let result = await sandbox.run("import", file)
        #expect(result.status == 0, "\(result.errors)")
        #expect(try sandbox.open().reports().count == 2)
        let listing = await sandbox.run("reports")
        #expect(listing.lines.filter { $0.contains("2024年教育局工作总结") }.count == 2, "\(listing.output)")
    }

    // MARK: - edit --file

    @Test func anAddedHeadingIsANewSection() async throws {
        let (sandbox, reference) = try await Self.sandboxWithReport()
        let edited = Self.report.replacingOccurrences(of: "组织教师培训四十场", with: "\n三、教师培训\n组织教师培训四十场")
            .replacingOccurrences(of: "二、存在的问题", with: "四、存在的问题")
        let file = try sandbox.write("edited.txt", text: edited)
        let result = await sandbox.run("edit", reference, "--file", file)
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.lines == ["Report \(reference): new revision, 4 sections."])
        #expect(try Self.headings(reference, in: sandbox) == ["", "主要工作", "教师培训", "存在的问题"])
    }

    @Test func aChangedHeadingAndQuoteOrphanTheNoteAndSaysSo() async throws {
        let (sandbox, reference) = try await Self.sandboxWithReport()
        let store = try sandbox.open()
        let problems = try #require(try store.outline(of: reference).sections.first { $0.heading == "存在的问题" })
        let moved = try store.addAnnotation(
            on: try #require(store.outline(of: reference).sections.first { $0.heading == "主要工作" }).reference,
            text: "培训", quote: "组织教师培训四十场")
        let lost = try store.addAnnotation(on: problems.reference, text: "班额", quote: "班额偏大")
        // A renamed heading alone takes its notes along to the renamed section (their quotes follow): the quote
        // is rewritten too, so the note has nowhere to go.
        let edited = Self.report.replacingOccurrences(of: "二、存在的问题", with: "二、问题与不足")
            .replacingOccurrences(of: "班额偏大", with: "班级人数偏多")
            .replacingOccurrences(of: "全年新建校舍", with: "今年全年新建校舍")
        let file = try sandbox.write("edited.txt", text: edited)
        let result = await sandbox.run("edit", reference, "--file", file, "--json")
        #expect(result.status == 0, "\(result.errors)")
        let revised = try result.decode(Edited.self)
        #expect(revised.outcome == "revised")
        #expect(revised.reference == reference)
        let changes = Dictionary(uniqueKeysWithValues: revised.annotations.map { ($0.id, $0.change) })
        #expect(changes == [moved.id.rawValue: "reanchored", lost.id.rawValue: "orphaned"])

        // The same edit as text output names the orphan and how to re-attach it.
        let again = try sandbox.write("again.txt", text: edited.replacingOccurrences(of: "今年全年", with: "本年度全年"))
        let text = await sandbox.run("edit", reference, "--file", again)
        #expect(text.status == 0)
        #expect(text.lines.contains { $0.contains("annotation \(moved.shortID)") && $0.contains("re-anchored") }, "\(text.output)")
    }

    @Test func anUnchangedTextWritesNothingAndSaysSo() async throws {
        let (sandbox, reference) = try await Self.sandboxWithReport()
        let file = try sandbox.write("same.txt", text: "\n" + Self.report.replacingOccurrences(of: "\n\n", with: "\n\n\n") + "\n")
        let before = try sandbox.changeCount()
        let result = await sandbox.run("edit", reference, "--file", file)
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.lines == ["Report \(reference) is unchanged; nothing written."])
        #expect(try sandbox.changeCount() == before)
        let json = await sandbox.run("edit", reference, "--file", file, "--json")
        #expect(try json.decode(Edited.self).outcome == "unchanged")
    }

    @Test func anEmptyTextWritesNothing() async throws {
        let (sandbox, reference) = try await Self.sandboxWithReport()
        let file = try sandbox.write("empty.txt", text: "\n  \n")
        let before = try sandbox.changeCount()
        let result = await sandbox.run("edit", reference, "--file", file)
        #expect(result.status == 1)
        #expect(result.errors.contains("title on its first line"), "\(result.errors)")
        #expect(try sandbox.changeCount() == before)
    }

    // MARK: - edit in the editor

    @Test func theEditorGetsTheTextAndItsSaveIsTheNewRevision() async throws {
        let (sandbox, reference) = try await Self.sandboxWithReport()
        // The editor keeps a copy of what it was given, then splits the first section with a new heading.
        let editor = try sandbox.editorScript("editor.sh", """
            cp "$1" "$(dirname "$0")/given.txt"
            sed -i 's/^全年新建校舍三万平方米，/全年新建校舍三万平方米。\\n（一）教师培训\\n/' "$1"
            """)
        let result = await sandbox.run(["edit", reference], input: CLISandbox.editor(editor))
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.lines == ["Report \(reference): new revision, 4 sections."])
        #expect(try Self.headings(reference, in: sandbox) == ["", "主要工作", "教师培训", "存在的问题"])
        let given = try String(contentsOfFile: sandbox.folder.appendingPathComponent("given.txt").path, encoding: .utf8)
        #expect(given.hasPrefix("""
            2024年教育局工作总结

            今年以来，我局坚持立德树人根本任务，全面推进各项工作。

            一、主要工作
            全年新建校舍三万平方米，组织教师培训四十场。

            二、存在的问题
            """), "\(given)")
        #expect(given.contains("\n# ------------------------ >8 ------------------------\n"))
        let texts = try sandbox.open().outline(of: reference).sections.map { try sandbox.open().section($0.reference).text }
        #expect(!texts.joined().contains("#"))
        #expect(texts[2] == "（一）教师培训\n组织教师培训四十场。")
    }

    @Test func withoutAnEditorNothingIsWritten() async throws {
        let (sandbox, reference) = try await Self.sandboxWithReport()
        let before = try sandbox.changeCount()
        let result = await sandbox.run(["edit", reference], input: .fixed(variables: ["EDITOR": "", "PATH": "/usr/bin:/bin"]))
        #expect(result.status == 64)
        #expect(result.errors.contains("No editor to open"), "\(result.errors)")
        #expect(result.errors.contains("--file FILE"))
        #expect(try sandbox.changeCount() == before)
    }

    @Test func anEditThatCannotBeSavedKeepsTheText() async throws {
        let (sandbox, reference) = try await Self.sandboxWithReport()
        let before = try sandbox.changeCount()
        // The editor removes the scissors line: where the text ends is unclear, so it is kept, not saved.
        let editor = try sandbox.editorScript("editor.sh", "sed -i '/>8/d' \"$1\"")
        let result = await sandbox.run(["edit", reference], input: CLISandbox.editor(editor))
        #expect(result.status == 1)
        let kept = try #require(result.keptTextFile, "\(result.errors)")
        #expect(try String(contentsOfFile: kept, encoding: .utf8).hasPrefix("2024年教育局工作总结\n\n今年以来"))
        try? FileManager.default.removeItem(atPath: kept)
        #expect(try sandbox.changeCount() == before)
    }
}
