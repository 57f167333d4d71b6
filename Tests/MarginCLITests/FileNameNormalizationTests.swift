import Foundation
import MarginStore
import Testing

/// A file name typed or listed in either Unicode normalization form names one file and one report source:
/// `é` precomposed (NFC, as Linux and keyboards give it) or as `e` and a combining accent (NFD, as macOS does).
@Suite("File names in NFC and NFD are one name")
struct FileNameNormalizationTests {
    static let composed = "报告\u{E9}"
    static let decomposed = "报告e\u{301}"

    /// A report with no title line whose first line is a long sentence: its title is taken from the file name.
    static func untitled(_ amount: String) -> String {
        """
        今年以来，全县教育系统围绕年初确定的目标，扎实推进各项重点任务，总体进展顺利，以下分项说明。

        一、校舍建设

        全年新建校舍\(amount)平方米。

        二、教师培训

        组织教师培训四十场。
        """
    }

    struct Summary: Decodable {
        struct File: Decodable { var reports: [Report] }
        struct Report: Decodable { var id: String; var outcome: String }
        var imported: [File]
    }

    /// Imports `text` from a file named `name` (then removes it, so the next name is the only one on disk).
    static func importFile(_ name: String, _ text: String, into sandbox: CLISandbox) async throws -> Summary.Report {
        let path = try sandbox.write(name, text: text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = await sandbox.run("import", path, "--json")
        try #require(result.status == 0, "\(result.errors)")
        return try #require(try result.decode(Summary.self).imported.first?.reports.first)
    }

    @Test(arguments: [(composed, decomposed), (decomposed, composed)])
    func reimportUnderTheOtherSpellingRevisesTheSameReport(first: String, then: String) async throws {
        let sandbox = try await CLISandbox.initialized()
        let original = try await Self.importFile(first + ".txt", Self.untitled("三万"), into: sandbox)
        let revised = try await Self.importFile(then + ".txt", Self.untitled("四万"), into: sandbox)
        #expect(revised.id == original.id, "the same file under its other spelling is the same source")
        #expect(revised.outcome == "revised")
        let reports = try sandbox.open().reports()
        #expect(reports.count == 1)
        // The title taken from the file name is stored in NFC, whichever spelling the file system gave.
        #expect(reports.first.map { Array($0.title.unicodeScalars) } == Array(Self.composed.unicodeScalars))
    }

    @Test func aTitledReportFromTheOtherSpellingIsTheSameReport() async throws {
        let sandbox = try await CLISandbox.initialized()
        let original = try await Self.importFile(Self.decomposed + ".txt", EditCommandTests.report, into: sandbox)
        let changed = EditCommandTests.report.replacingOccurrences(of: "三万", with: "五万")
        let revised = try await Self.importFile(Self.composed + ".txt", changed, into: sandbox)
        #expect(revised.id == original.id)
        #expect(try sandbox.open().reports().count == 1)
    }

    @Test func aNameTypedInOneFormFindsTheFileStoredInTheOther() async throws {
        let sandbox = try await CLISandbox.initialized()
        // On disk in NFD, as copied from a Mac; typed in NFC.
        try sandbox.write(Self.decomposed + ".txt", text: Self.untitled("三万"))
        let typed = sandbox.folder.appendingPathComponent(Self.composed + ".txt").path
        #expect(!FileManager.default.fileExists(atPath: typed) || Self.decomposed == Self.composed,
                "the file system keeps the two spellings apart, or this test proves nothing")
        let dryRun = await sandbox.run("import", "--dry-run", typed)
        #expect(dryRun.status == 0, "\(dryRun.errors)")
        let imported = await sandbox.run("import", typed)
        #expect(imported.status == 0, "\(imported.errors)")
        let report = try #require(try sandbox.open().reports().first)

        try sandbox.write("注释" + Self.decomposed + ".md", text: "笔记：核对面积")
        let noteFile = sandbox.folder.appendingPathComponent("注释" + Self.composed + ".md").path
        let note = await sandbox.run("annotate", report.shortID + "/1", "--file", noteFile)
        #expect(note.status == 0, "\(note.errors)")
        #expect(try sandbox.open().section(report.shortID + "/1").annotations.map(\.text) == ["笔记：核对面积"])

        let edited = Self.untitled("六万").replacingOccurrences(of: "今年以来", with: Self.composed + "\n\n今年以来")
        try sandbox.write("修订" + Self.decomposed + ".txt", text: edited)
        let editFile = sandbox.folder.appendingPathComponent("修订" + Self.composed + ".txt").path
        let edit = await sandbox.run("edit", report.shortID, "--file", editFile)
        #expect(edit.status == 0, "\(edit.errors)")
        #expect(try sandbox.open().section(report.shortID + "/1").text.contains("六万"))

        let missing = await sandbox.run("import", sandbox.folder.appendingPathComponent("没有的.txt").path)
        #expect(missing.status == 1)
        #expect(missing.errors.contains("没有的.txt"))
    }
}
