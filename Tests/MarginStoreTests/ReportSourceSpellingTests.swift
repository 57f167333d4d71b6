import Foundation
import Testing
@testable import MarginCore
@testable import MarginStore
import ReportParser

/// A report's source names its file and title; both compare after Unicode NFC normalization, so a file named in
/// NFD (as macOS names files) is the same source as the same name in NFC.
@Suite("Report sources: file names and titles in NFC and NFD are one source")
struct ReportSourceSpellingTests {
    static let composed = "东城区\u{E9}"
    static let decomposed = "东城区e\u{301}"

    /// A report titled `title` (as a title taken from a file name is) whose one section says `amount`.
    static func report(_ title: String, _ amount: String) -> ParsedReport {
        ParsedReport(
            title: title,
            sections: [
                ParsedSection(level: 0, label: "", heading: "", text: "", parentIndex: nil),
                ParsedSection(level: 1, label: "一、", heading: "校舍建设", text: "一、校舍建设\n新建校舍\(amount)平方米。", parentIndex: nil),
            ],
            titleSource: .fileName)
    }

    @Test func aTitleAStoreFromBeforeKeptDecomposedIsFoundByItsComposedSpelling() throws {
        let store = try StoreTestSupport.newStore()
        // A store from before kept the title of a report titled by its file name as the system spelled it.
        let earlier = try store.importReports([Self.report(Self.decomposed, "三万")], fileName: Self.decomposed + ".txt")
        let now = try store.importReports([Self.report(Self.composed, "四万")], fileName: Self.composed + ".txt")
        #expect(now.reports.map(\.id) == earlier.reports.map(\.id))
        #expect(now.reports.first?.outcome == .revised)
        #expect(now.earlierReports.isEmpty)
        #expect(try store.reports().count == 1)
    }

    @Test func theSourceFileIsKeptInNFC() throws {
        let store = try StoreTestSupport.newStore()
        let imported = try store.importReports([Self.report("总结", "三万")], fileName: "/tmp/" + Self.decomposed + ".txt")
        let body = try store.reportBody(try #require(imported.reports.first).id)
        #expect(body.source.map { Array($0.file.unicodeScalars) } == Array((Self.composed + ".txt").unicodeScalars))
    }

    @Test func spellingsAreTheComposedAndTheDecomposedForm() {
        #expect(ReportIdentities.spellings(of: "总结").count == 1)
        let both = ReportIdentities.spellings(of: Self.decomposed)
        #expect(both.map { Array($0.unicodeScalars) } == [Array(Self.composed.unicodeScalars), Array(Self.decomposed.unicodeScalars)])
    }
}
