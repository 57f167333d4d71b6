import Foundation
import ReportParser
import Testing
@testable import MarginCore
@testable import MarginStore

/// Importing a file again never writes its older text over edits made since it was last imported: a file without
/// changes of its own writes nothing, its changes to other parts merge with the edits, a clash writes nothing, and
/// `replacingLaterEdits` writes the file's text as it is.
@Suite("A re-import keeps edits made since the file was last imported")
struct ReimportTests {
    static let text = """
        白沙镇中学2025年秋季学期工作小结
        本学期学校着力抓好食堂管理和作业减负两件事。
        一、食堂管理
        每周公示菜谱,家长代表陪餐二十次。
        二、作业减负
        各年级作业总量控制在一小时以内,抽查作业本三百本。
        """
    static let file = "白沙镇.txt"

    static func data(_ text: String) -> Data { Data(text.utf8) }

    static func importedStore() throws -> (MarginStore, RecordID) {
        let store = try StoreTestSupport.newStore(author: "a")
        let id = try #require(try store.importReports(from: data(text), fileName: file).reports.first).id
        return (store, id)
    }

    static func edit(_ store: MarginStore, _ id: RecordID, replacing old: String, with new: String) throws {
        let current = try store.reportBody(id)
        let revised = EditedReport.text(title: current.title, sectionTexts: current.sections.map(\.text))
            .replacingOccurrences(of: old, with: new)
        _ = try store.reviseReport(id, with: try EditedReport.parse(revised))
    }

    static func texts(_ store: MarginStore, _ id: RecordID) throws -> String {
        try store.reportBody(id).sections.map(\.text).joined(separator: "\n")
    }

    static func revisionCount(_ store: MarginStore) throws -> Int {
        try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM revision")! }
    }

    @Test func anUnchangedFileWritesNothingAndTheEditStands() throws {
        let (store, id) = try Self.importedStore()
        try Self.edit(store, id, replacing: "二十次", with: "二十五次")
        let before = try Self.revisionCount(store)

        let again = try #require(try store.importReports(from: Self.data(Self.text), fileName: Self.file).reports.first)
        #expect(again.outcome == .unchanged)
        #expect(again.laterEdits == .kept)
        #expect(try Self.revisionCount(store) == before)
        #expect(try Self.texts(store, id).contains("二十五次"))
    }

    @Test func aPeerImportingItsOwnCopyOfTheFileKeepsAnotherPeersEdit() throws {
        let (a, id) = try Self.importedStore()
        try Self.edit(a, id, replacing: "三百本", with: "四百本")
        let b = try StoreTestSupport.newStore(author: "b")
        try ReceivedRevisionTests.copy(from: a, to: b)

        // B never imported the file: the report's history holds its text, so it is older than the report.
        let imported = try #require(try b.importReports(from: Self.data(Self.text), fileName: Self.file).reports.first)
        #expect(imported.id == id)
        #expect(imported.laterEdits == .kept)
        #expect(try Self.texts(b, id).contains("四百本"))
    }

    @Test func theFilesChangesToOtherSectionsMergeWithTheEdit() throws {
        let (store, id) = try Self.importedStore()
        try Self.edit(store, id, replacing: "二十次", with: "二十五次")
        let changed = Self.text.replacingOccurrences(of: "三百本", with: "五百本")

        let merged = try #require(try store.importReports(from: Self.data(changed), fileName: Self.file).reports.first)
        #expect(merged.outcome == .revised)
        #expect(merged.laterEdits == .merged)
        let texts = try Self.texts(store, id)
        #expect(texts.contains("二十五次") && texts.contains("五百本"))
        #expect(try store.reportBody(id).source?.file == Self.file)

        // What the file said is noted although no revision holds it: importing it again has nothing new.
        let before = try Self.revisionCount(store)
        let again = try #require(try store.importReports(from: Self.data(changed), fileName: Self.file).reports.first)
        #expect(again.laterEdits == .kept)
        #expect(try Self.revisionCount(store) == before)
    }

    @Test func aClashWritesNothingAndReplacingWritesTheFile() throws {
        let (store, id) = try Self.importedStore()
        try Self.edit(store, id, replacing: "二十次", with: "多次")
        let clashing = Self.text.replacingOccurrences(of: "二十次", with: "三十次")
        let before = try Self.revisionCount(store)

        #expect {
            try store.importReports(from: Self.data(clashing), fileName: Self.file)
        } throws: { error in
            guard let error = error as? MarginStoreError, case let .importClashes(_, file, parts) = error.kind else { return false }
            return file == Self.file && parts == 1 && "\(error)".contains("--replace")
        }
        #expect(try Self.revisionCount(store) == before)
        #expect(try Self.texts(store, id).contains("陪餐多次"))

        let replaced = try #require(
            try store.importReports(from: Self.data(clashing), fileName: Self.file, replacingLaterEdits: true).reports.first)
        #expect(replaced.outcome == .revised)
        #expect(replaced.laterEdits == nil)
        #expect(try Self.texts(store, id).contains("三十次"))
        #expect(try !Self.texts(store, id).contains("陪餐多次"))
    }

    @Test func withoutAnEditSinceTheFilesTextIsWrittenAsBefore() throws {
        let (store, id) = try Self.importedStore()
        let changed = Self.text.replacingOccurrences(of: "二十次", with: "三十次")
        let revised = try #require(try store.importReports(from: Self.data(changed), fileName: Self.file).reports.first)
        #expect(revised.outcome == .revised)
        #expect(revised.laterEdits == nil)
        // Going back to the first text is a change of the file's own, not an older text.
        let back = try #require(try store.importReports(from: Self.data(Self.text), fileName: Self.file).reports.first)
        #expect(back.outcome == .revised)
        #expect(try Self.texts(store, id).contains("二十次"))
    }
}
