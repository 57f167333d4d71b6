import Foundation
import ReportParser
import Testing
@testable import MarginCore
@testable import MarginStore

@Suite("Removing a report: out of the list and of find, nothing deleted, brought back at will, an edit elsewhere wins")
struct ReportRemovalTests {
    /// A short report whose last section holds a word no seed has (琉璃瓦).
    static func reportText(title: String = "松林县教育局2025年工作总结", extra: String = "") -> Data {
        Data("""
            \(title)
            今年全县教育系统围绕办学条件和队伍建设两件大事开展工作。
            一、校舍改造
            全年完成十二所乡村学校的屋顶翻修，琉璃瓦工程如期完工。\(extra)
            二、教师培训
            组织骨干教师赴外地跟岗学习三批次，参训教师写出心得一百余篇。
            """.utf8)
    }

    /// A store holding the seeds and the short report, and the short report's identity.
    static func storeWithReport(author: String = "tester") throws -> (MarginStore, RecordID) {
        let store = try StoreTestSupport.seededStore(author: author)
        let summary = try store.importReports(from: reportText(), fileName: "松林县.txt")
        return (store, try #require(summary.reports.first).id)
    }

    static func findsTheWord(_ store: MarginStore) throws -> Bool {
        try store.search(text: "琉璃瓦").total > 0
    }

    @Test func aRemovedReportLeavesTheListAndFindButItsTextNotesAndHistoryStay() throws {
        let (store, id) = try Self.storeWithReport()
        let short = try #require(try store.reports().first { $0.id == id }).shortID
        let note = try store.addAnnotation(on: short + "/1", text: "屋顶翻修的经费从哪里来？")
        _ = try store.tag(short + "/1", with: ["校舍"])
        let listed = try store.reports().count
        #expect(try Self.findsTheWord(store))

        let removal = try store.removeReport(id)
        #expect(removal.changed && removal.removed && removal.notes == 1)
        #expect(try store.reports().count == listed - 1)
        #expect(try !store.reports().contains { $0.id == id })
        #expect(try store.reports(offset: 0, limit: nil, removed: true).items.map(\.id) == [id])
        #expect(try !Self.findsTheWord(store))
        #expect(try store.search(text: nil, tags: ["校舍"]).total == 0)
        #expect(try !store.tagCounts().contains { $0.tag == "校舍" })
        #expect(try store.search(text: "翻修").items.allSatisfy { $0.annotationID == note.id || $0.report != id })
        // Nothing was deleted: the outline says removed, the note and the text read on, history shows the step.
        let outline = try store.outline(of: short)
        #expect(outline.removed)
        #expect(outline.sections.count == 3)
        #expect(try store.annotation(note.shortID).text == "屋顶翻修的经费从哪里来？")
        #expect(try store.notes().items.contains { $0.id == note.id })
        #expect(try store.history(of: short).last?.summary.hasPrefix("removed report") == true)

        let restored = try store.restoreReport(id)
        #expect(restored.changed && !restored.removed)
        #expect(try store.reports().count == listed)
        #expect(try !store.outline(of: short).removed)
        #expect(try Self.findsTheWord(store))
        #expect(try store.search(text: nil, tags: ["校舍"]).total == 1)
        // A second round trip: the search entries were added back once, and are removed and added again cleanly.
        _ = try store.removeReport(id)
        #expect(try !Self.findsTheWord(store))
        _ = try store.restoreReport(id)
        #expect(try store.search(text: "琉璃瓦").total == 1)
    }

    @Test func removingTwiceOrRestoringAKeptReportWritesNothing() throws {
        let (store, id) = try Self.storeWithReport()
        #expect(try !store.restoreReport(id).changed)
        _ = try store.removeReport(id)
        let revisions = try store.history(of: id.rawValue).count
        let again = try store.removeReport(id)
        #expect(!again.changed && again.removed)
        #expect(try store.history(of: id.rawValue).count == revisions)
    }

    @Test func importingARemovedReportsFileAgainBringsItBack() throws {
        let (store, id) = try Self.storeWithReport()
        _ = try store.removeReport(id)
        let summary = try store.importReports(from: Self.reportText(), fileName: "松林县.txt")
        #expect(summary.reports.map(\.id) == [id])
        #expect(summary.reports.first?.outcome == .revised)
        #expect(try store.reports().contains { $0.id == id })
        #expect(try Self.findsTheWord(store))
    }

    /// The way out of a changed title: the import made a second report; remove it and make the text the first
    /// report's revision. Importing the file again then revises the first report, never the removed one.
    @Test func aDuplicateMadeByAChangedTitleIsRemovedForGood() throws {
        let (store, original) = try Self.storeWithReport()
        let renamed = Self.reportText(title: "松林县教育局2025年度工作总结")
        let duplicate = try #require(try store.importReports(from: renamed, fileName: "松林县.txt").reports.first)
        #expect(duplicate.outcome == .created && duplicate.id != original)
        _ = try store.removeReport(duplicate.id)
        let parsed = try ReportParser.parse(data: renamed, fileName: "松林县.txt")
        _ = try store.importReport(parsed, fileName: "松林县.txt", as: original)
        let again = try store.importReports(
            from: Self.reportText(title: "松林县教育局2025年度工作总结", extra: "另有两所学校完成操场改造。"),
            fileName: "松林县.txt")
        #expect(again.reports.map(\.id) == [original])
        #expect(again.earlierReports.isEmpty)
        #expect(try store.reports().filter { $0.title.hasPrefix("松林县") }.map(\.id) == [original])
    }

    @Test func aRemovalSyncsAndAnEditMadeMeanwhileElsewhereKeepsTheReport() throws {
        let (a, id) = try Self.storeWithReport(author: "a")
        let b = try StoreTestSupport.newStore(author: "b")
        try ReceivedRevisionTests.copy(from: a, to: b)
        let c = try StoreTestSupport.newStore(author: "c")
        try ReceivedRevisionTests.copy(from: a, to: c)

        // A plain removal reaches another peer as it is.
        _ = try a.removeReport(id)
        try ReceivedRevisionTests.copy(from: a, to: c)
        #expect(try !c.reports().contains { $0.id == id })
        #expect(try !Self.findsTheWord(c))

        // b edits the report without having seen the removal: after the exchange both keep it, with b's text.
        let edited = try ReportParser.parse(
            data: Self.reportText(extra: "另有两所学校完成操场改造。"), fileName: "松林县.txt")[0]
        _ = try b.reviseReport(id, with: edited)
        try ConflictTests.exchange(a, b)
        try ConflictTests.exchange(b, c)
        for store in [a, b, c] {
            #expect(try store.reports().contains { $0.id == id })
            #expect(try store.search(text: "操场改造").total == 1)
            #expect(try !store.outline(of: id.rawValue).removed)
        }
        // Removing it now, on any peer, removes it everywhere.
        _ = try c.removeReport(id)
        try ConflictTests.exchange(c, a)
        try ConflictTests.exchange(a, b)
        for store in [a, b, c] { #expect(try !store.reports().contains { $0.id == id }) }
    }
}
