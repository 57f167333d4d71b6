import Foundation
import ReportParser
import Testing
@testable import MarginCore
@testable import MarginStore

@Suite("A report edited on two peers is a conflict every peer shows, merged section by section or settled by a person")
struct ReportConflictTests {
    static let text = """
        松林县教育局2025年工作总结
        今年全县教育系统围绕办学条件和队伍建设两件大事开展工作。
        一、校舍改造
        全年完成十二所乡村学校的屋顶翻修。
        二、教师培训
        组织骨干教师赴外地跟岗学习三批次。
        """

    /// Two peers holding the same report, and its identity.
    static func peers() throws -> (MarginStore, MarginStore, RecordID) {
        let (a, b, _, id) = try threePeers()
        return (a, b, id)
    }

    /// Three peers holding the same report, and its identity.
    static func threePeers() throws -> (MarginStore, MarginStore, MarginStore, RecordID) {
        let a = try StoreTestSupport.newStore(author: "a")
        let id = try #require(try a.importReports(from: Data(text.utf8), fileName: "松林县.txt").reports.first).id
        let b = try StoreTestSupport.newStore(author: "b")
        try ReceivedRevisionTests.copy(from: a, to: b)
        let c = try StoreTestSupport.newStore(author: "c")
        try ReceivedRevisionTests.copy(from: a, to: c)
        return (a, b, c, id)
    }

    static func edit(_ store: MarginStore, _ id: RecordID, replacing old: String, with new: String) throws {
        let revised = text.replacingOccurrences(of: old, with: new)
        #expect(revised != text)
        _ = try store.reviseReport(id, with: try EditedReport.parse(revised))
    }

    @Test func editsOfDifferentSectionsAreShownAsAConflictAndMergeWithoutLosingEither() throws {
        let (a, b, id) = try Self.peers()
        try Self.edit(a, id, replacing: "十二所", with: "十五所")
        try Self.edit(b, id, replacing: "三批次", with: "四批次")
        try ConflictTests.exchange(a, b)

        // Both peers show the same side and say the report is in conflict, with what each side changed.
        let views = try [a, b].map { try $0.conflicts().filter { $0.kind == .report } }
        #expect(views[0] == views[1])
        let view = try #require(views[0].first)
        #expect(view.annotation == id)
        #expect(view.sides.count == 2)
        #expect(Set(view.sides.compactMap(\.changed)) == [["1 一、校舍改造"], ["2 二、教师培训"]])
        #expect(try a.openConflictCount() == 1)
        #expect(try a.reportBody(id) == b.reportBody(id))

        let merged = try a.mergedReport(view.shortID)
        #expect(merged.isClean)
        let resolved = try a.resolveReportConflictByMerging(view.shortID)
        #expect(resolved.id == id)
        try ConflictTests.exchange(a, b)
        for store in [a, b] {
            #expect(try store.openConflictCount() == 0)
            let texts = try store.reportBody(id).sections.map(\.text).joined(separator: "\n")
            #expect(texts.contains("十五所") && texts.contains("四批次"))
            #expect(try store.search(text: "十五所").total == 1)
            #expect(try store.search(text: "四批次").total == 1)
        }
    }

    @Test func editsOfOneSectionInOnePlaceWaitForAPersonAndTheStoreStaysAsItWas() throws {
        let (a, b, c, id) = try Self.threePeers()
        try Self.edit(a, id, replacing: "十二所", with: "十五所")
        try Self.edit(b, id, replacing: "十二所", with: "二十所")
        try ConflictTests.exchange(a, b)
        let view = try a.reportConflict(String(id.rawValue.prefix(8)))
        let heads = try a.seenRevisions(of: id)

        #expect(throws: MarginStoreError.self) { try a.resolveReportConflictByMerging(view.shortID) }
        #expect(try a.seenRevisions(of: id) == heads)
        #expect(try a.mergedReport(view.shortID).conflictCount == 1)

        // While the sides are open, an edit, a re-import or a removal would settle them with one side's text: refused.
        let edited = try EditedReport.parse(Self.text.replacingOccurrences(of: "三批次", with: "六批次"))
        #expect(throws: MarginStoreError.self) { try a.reviseReport(id, with: edited) }
        #expect(throws: MarginStoreError.self) {
            try a.importReports(from: Data(Self.text.replacingOccurrences(of: "三批次", with: "六批次").utf8), fileName: "松林县.txt")
        }
        #expect(throws: MarginStoreError.self) { try a.removeReport(id) }
        #expect(try a.seenRevisions(of: id) == heads)

        // A side that arrives while the person merges makes their resolution refuse.
        try Self.edit(c, id, replacing: "三批次", with: "五批次")
        try ConflictTests.exchange(a, c)
        #expect(try a.reportConflict(view.shortID).sides.count == 3)
        let merged = try EditedReport.parse(Self.text.replacingOccurrences(of: "十二所", with: "十八所"))
        #expect(throws: MarginStoreError.self) { try a.resolveReportConflict(view.shortID, with: merged, since: heads) }
        #expect(try a.openConflictCount() == 1)

        // Keeping one side settles it for every peer, with that side's text.
        let kept = try #require(try a.reportConflict(view.shortID).sides.first { $0.author == "a" })
        _ = try a.resolveReportConflict(view.shortID, keeping: kept.shortRevision)
        try ConflictTests.exchange(a, b)
        try ConflictTests.exchange(a, c)
        for store in [a, b, c] {
            #expect(try store.openConflictCount() == 0)
            #expect(try store.reportBody(id).sections.map(\.text).joined().contains("十五所"))
        }
    }

    @Test func aReportThatIsNotInConflictSaysSo() throws {
        let (a, _, id) = try Self.peers()
        #expect(throws: MarginStoreError.self) { try a.reportConflict(String(id.rawValue.prefix(8))) }
        #expect(throws: MarginStoreError.self) { try a.resolveReportConflictByMerging(String(id.rawValue.prefix(8))) }
    }
}
