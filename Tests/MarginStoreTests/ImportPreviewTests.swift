import Foundation
import GRDB
import ReportParser
import Testing
@testable import MarginCore
@testable import MarginStore

/// `previewImport` says what an import would do by doing it in a transaction that is rolled back: the same
/// outcome as the import that follows, and the store exactly as it was.
@Suite("What an import would do, with nothing written")
struct ImportPreviewTests {
    static func parsed(_ text: String) throws -> [ParsedReport] {
        try ReportParser.parse(data: ReimportTests.data(text), fileName: ReimportTests.file)
    }

    /// Every row of every table of the store, so that "exactly as it was" is checked, not assumed.
    static func contents(_ store: MarginStore) throws -> [String: [[String]]] {
        try store.read { db in
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            var contents: [String: [[String]]] = [:]
            for table in tables {
                contents[table] = try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\"").map { row in
                    row.databaseValues.map(\.description)
                }.sorted { $0.lexicographicallyPrecedes($1) }
            }
            return contents
        }
    }

    @Test func aPreviewIsTheImportThatFollowsAndLeavesTheStoreAsItWas() throws {
        let store = try StoreTestSupport.newStore(author: "a")
        let empty = try Self.contents(store)
        let firstPreview = try store.previewImport(try Self.parsed(ReimportTests.text), fileName: ReimportTests.file)
        #expect(firstPreview.reports.map(\.outcome) == [.created])
        #expect(try Self.contents(store) == empty)
        let first = try store.importReports(try Self.parsed(ReimportTests.text), fileName: ReimportTests.file)
        #expect(first == firstPreview)

        let revisedText = ReimportTests.text.replacingOccurrences(of: "三百本", with: "四百本")
        let imported = try Self.contents(store)
        let preview = try store.previewImport(try Self.parsed(revisedText), fileName: ReimportTests.file)
        #expect(preview.reports.map(\.outcome) == [.revised])
        #expect(try Self.contents(store) == imported)
        #expect(try store.importReports(try Self.parsed(revisedText), fileName: ReimportTests.file) == preview)
    }

    @Test func aPreviewSaysWhatBecomesOfLaterEditsAndAClashThrowsAsTheImportWould() throws {
        let (a, id) = try LaterEditReversionTests.editedByAnotherPeer(replacing: "三百本", with: "四百本")
        let before = try Self.contents(a)

        let kept = try a.previewImport(try Self.parsed(ReimportTests.text), fileName: ReimportTests.file)
        #expect(kept.reports.map(\.laterEdits) == [.kept])
        let mergedText = ReimportTests.text.replacingOccurrences(of: "二十次", with: "二十五次")
        let merged = try a.previewImport(try Self.parsed(mergedText), fileName: ReimportTests.file)
        #expect(merged.reports.map(\.laterEdits) == [.merged])
        #expect(merged.reports.map(\.outcome) == [.revised])

        let clashing = ReimportTests.text.replacingOccurrences(of: "三百本", with: "五百本")
        #expect {
            try a.previewImport(try Self.parsed(clashing), fileName: ReimportTests.file)
        } throws: { error in
            guard let error = error as? MarginStoreError, case .importClashes = error.kind else { return false }
            return true
        }
        #expect(try Self.contents(a) == before)
        #expect(try ReimportTests.texts(a, id).contains("四百本"))

        // The preview of --replace, and of a revision of a chosen report, are rolled back too.
        let replacing = try a.previewImport(try Self.parsed(clashing), fileName: ReimportTests.file, replacingLaterEdits: true)
        #expect(replacing.reports.map(\.outcome) == [.revised])
        let other = try a.previewImport(try Self.parsed(clashing), fileName: "另一个.txt", as: id, replacingLaterEdits: true)
        #expect(other.reports.map(\.id) == [id])
        #expect(try Self.contents(a) == before)
    }
}
