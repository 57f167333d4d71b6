import Foundation
import Testing
@testable import MarginCore
@testable import MarginStore
import ReportParser

@Suite("Report identity: reports sharing a title stay apart, a changed file stays one report")
struct ReportIdentityTests {
    typealias F = ReportIdentityFixtures

    static func importText(_ text: String, _ file: String, into store: MarginStore) throws -> ImportSummary {
        try store.importReports(from: Data(text.utf8), fileName: file)
    }

    static func parse(_ text: String) throws -> [ParsedReport] {
        try ReportParser.parse(text: text, fileName: "report.txt")
    }

    /// The section of `report` whose heading is `heading`, as a reference a person types.
    static func section(_ heading: String, of report: RecordID, in store: MarginStore) throws -> String {
        let outline = try store.outline(of: report.rawValue)
        return try #require(outline.sections.first { $0.heading == heading }).reference
    }

    @Test func theSameTitleInTwoFilesIsTwoReportsAndEachKeepsItsNotes() throws {
        let store = try StoreTestSupport.newStore()
        let east = try Self.importText(F.east, F.eastFile, into: store).reports[0]
        let eastNote = try store.addAnnotation(
            on: try Self.section("办学条件持续改善", of: east.id, in: store), text: "校舍数字待核", quote: "三万平方米")
        let west = try Self.importText(F.west, F.westFile, into: store).reports[0]
        #expect(west.outcome == .created)
        #expect(west.id != east.id)
        let westNote = try store.addAnnotation(
            on: try Self.section("基本情况", of: west.id, in: store), text: "学生数", quote: "五万余人")

        let listed = try store.reports()
        #expect(Set(listed.map(\.id)) == [east.id, west.id])
        #expect(listed.allSatisfy { $0.title == F.title })
        #expect(try store.annotation(eastNote.id.rawValue).placement == "exact")
        #expect(try store.annotation(westNote.id.rawValue).placement == "exact")
        #expect(east.id == ReportSource(file: F.eastFile, title: F.title, occurrence: 1).derivedIdentity)
        // Importing both again changes nothing.
        #expect(try Self.importText(F.east, F.eastFile, into: store).newRevisions == 0)
        #expect(try Self.importText(F.west, F.westFile, into: store).newRevisions == 0)
    }

    @Test func theSameTitleTwiceInOneFileIsTwoReports() throws {
        let store = try StoreTestSupport.newStore()
        let summary = try Self.importText(F.twoInOne, "合集.txt", into: store)
        try #require(summary.reports.count == 2)
        #expect(summary.reports[0].title == summary.reports[1].title)
        #expect(summary.reports[0].id != summary.reports[1].id)
        #expect(try store.reports().count == 2)
        #expect(try Self.importText(F.twoInOne, "合集.txt", into: store).newRevisions == 0)
    }

    @Test func reimportingAChangedFileRevisesTheSameReportAndReanchorsItsNotes() throws {
        let store = try StoreTestSupport.newStore()
        let first = try Self.importText(F.east, F.eastFile, into: store).reports[0]
        let note = try store.addAnnotation(
            on: try Self.section("教师队伍不断加强", of: first.id, in: store), text: "培训次数", quote: "四十场")
        let second = try Self.importText(F.eastRevised, F.eastFile, into: store)
        #expect(second.reports.map(\.id) == [first.id])
        #expect(second.reports[0].outcome == .revised)
        #expect(second.reports[0].reanchored.map(\.id) == [note.id])
        #expect(second.earlierReports.isEmpty)
        #expect(try store.reports().count == 1)
    }

    @Test func aFileNameIsComparedInItsComposedForm() throws {
        let store = try StoreTestSupport.newStore()
        let composed = "东城区教育局2024年总结（终稿）é.txt"
        let decomposed = composed.decomposedStringWithCanonicalMapping
        try #require(Array(composed.utf8) != Array(decomposed.utf8))
        let first = try Self.importText(F.east, "/tmp/a/" + composed, into: store).reports[0]
        let again = try Self.importText(F.eastRevised, decomposed, into: store).reports[0]
        #expect(again.id == first.id)
        #expect(again.outcome == .revised)
    }

    @Test func aChangedTitleIsANewReportAndTheEarlierOneIsNamed() throws {
        let store = try StoreTestSupport.newStore()
        let first = try Self.importText(F.east, F.eastFile, into: store).reports[0]
        let renamed = F.east.replacingOccurrences(of: F.title, with: "东城区教育局2024年度工作总结")
        let second = try Self.importText(renamed, F.eastFile, into: store)
        #expect(second.reports[0].outcome == .created)
        #expect(second.earlierReports.map(\.id) == [first.id])
        #expect(second.earlierReports.first?.title == F.title)
    }

    @Test func twoFreshStoresImportingOneFileAgreeAndStayOneReportAfterSyncing() throws {
        let a = try StoreTestSupport.newStore(author: "a")
        let b = try StoreTestSupport.newStore(author: "b")
        let fromA = try Self.importText(F.east, F.eastFile, into: a).reports.map(\.id)
            + Self.importText(F.twoInOne, "合集.txt", into: a).reports.map(\.id)
        let fromB = try Self.importText(F.east, F.eastFile, into: b).reports.map(\.id)
            + Self.importText(F.twoInOne, "合集.txt", into: b).reports.map(\.id)
        #expect(fromA == fromB)
        let sectionsA = try fromA.map { try a.outline(of: $0.rawValue).sections.map(\.id) }
        #expect(sectionsA == (try fromA.map { try b.outline(of: $0.rawValue).sections.map(\.id) }))
        try ConflictTests.exchange(a, b)
        for store in [a, b] {
            let held = Set(try store.reports().map(\.id))
            #expect(held == Set(fromA))
            #expect(try store.reports().count == fromA.count)
            // The source syncs with the body, so either peer's next import of the file finds the same report.
            #expect(try Self.importText(F.eastRevised, F.eastFile, into: store).reports.map(\.id) == [fromA[0]])
        }
    }

    // MARK: - Stores from before sources were recorded

    @Test func reportsWrittenBeforeSourcesKeepTheirIdentitiesAndNotes() throws {
        let store = try StoreTestSupport.newStore()
        let legacy = try F.writeAsBeforeSources(F.east, into: store)
        // (Before sources, the first report of 合集.txt and `east` would have been one record: another store.)
        let pairStore = try StoreTestSupport.newStore()
        let legacyPair = try F.writeAsBeforeSources(F.twoInOne, into: pairStore)
        #expect(legacy == [Identity.report(title: F.title, occurrence: 1)])
        let note = try store.addAnnotation(
            on: try Self.section("教师队伍不断加强", of: legacy[0], in: store), text: "培训次数", quote: "四十场")

        // The same text again: the old report, nothing written.
        let same = try Self.importText(F.east, F.eastFile, into: store)
        #expect(same.reports.map(\.id) == legacy)
        #expect(same.reports[0].outcome == .unchanged)
        // A changed text: a revision of the old report, which now records its source.
        let changed = try Self.importText(F.eastRevised, F.eastFile, into: store)
        #expect(changed.reports.map(\.id) == legacy)
        #expect(changed.reports[0].outcome == .revised)
        #expect(changed.reports[0].reanchored.map(\.id) == [note.id])
        #expect(try store.reportBody(legacy[0]).source == ReportSource(file: F.eastFile, title: F.title, occurrence: 1))
        // The two reports of one file keep theirs, in order.
        #expect(try Self.importText(F.twoInOne, "合集.txt", into: pairStore).reports.map(\.id) == legacyPair)
        // A different report with that title is not poured into the old one.
        let west = try Self.importText(F.west, F.westFile, into: store).reports[0]
        #expect(west.outcome == .created)
        #expect(!(legacy + legacyPair).contains(west.id))
        #expect(try store.annotation(note.id.rawValue).placement == changed.reports[0].reanchored.first?.placement)
        #expect(try store.annotation(note.id.rawValue).placement != "orphaned")
    }

    @Test func aDifferentReportSharingAnOldTitleIsNotMergedIntoTheOldReport() throws {
        let store = try StoreTestSupport.newStore()
        let legacy = try F.writeAsBeforeSources(F.east, into: store)
        let west = try Self.importText(F.west, F.westFile, into: store).reports[0]
        #expect(west.id != legacy[0])
        #expect(try store.reports().count == 2)
        #expect(try store.reportBody(legacy[0]).sections.map(\.heading).contains("教师队伍不断加强"))
    }

    // MARK: - A chosen report

    @Test func importAsMakesTheFileANewRevisionOfTheChosenReport() throws {
        let store = try StoreTestSupport.newStore()
        let first = try Self.importText(F.east, F.eastFile, into: store).reports[0]
        let note = try store.addAnnotation(
            on: try Self.section("办学条件持续改善", of: first.id, in: store), text: "校舍", quote: "三万平方米")
        let renamed = F.eastRevised.replacingOccurrences(of: F.title, with: "东城区教育局2024年度工作总结")
        let revised = try store.importReport(Self.parse(renamed), fileName: "终稿.txt", as: first.id)
        #expect(revised.reports.map(\.id) == [first.id])
        #expect(revised.reports[0].outcome == .revised)
        #expect(try store.reports().count == 1)
        #expect(try store.annotation(note.id.rawValue).placement == "exact")
        // The file now leads to that report.
        #expect(try Self.importText(renamed + "\n补充说明。", "终稿.txt", into: store).reports.map(\.id) == [first.id])
    }

    @Test func importAsRefusesAFileOfSeveralReportsAndWritesNothing() throws {
        let store = try StoreTestSupport.newStore()
        let first = try Self.importText(F.east, F.eastFile, into: store).reports[0]
        let before = try store.changeLog(limit: 100).count
        #expect {
            try store.importReport(Self.parse(F.twoInOne), fileName: "合集.txt", as: first.id)
        } throws: { error in
            guard let error = error as? MarginStoreError, case let .notOneReport(_, count) = error.kind else { return false }
            return count == 2
        }
        #expect(try store.changeLog(limit: 100).count == before)
    }

    // MARK: - Edited text

    @Test func anUnchangedEditWritesNothingForEverySeedReport() throws {
        let store = try StoreTestSupport.seededStore()
        for report in try store.reports() {
            let body = try store.reportBody(report.id)
            let text = EditedReport.text(title: body.title, sectionTexts: body.sections.map(\.text))
            let result = try store.reviseReport(report.id, with: try EditedReport.parse(text))
            #expect(result.outcome == .unchanged, "\(report.title)")
        }
    }

    @Test func anEditedHeadingStartsASectionAndAChangedHeadingTakesItsNotesAlong() throws {
        let store = try StoreTestSupport.newStore()
        let report = try Self.importText(F.east, F.eastFile, into: store).reports[0]
        let kept = try store.addAnnotation(
            on: try Self.section("存在的问题", of: report.id, in: store), text: "班额", quote: "班额偏大")
        let renamed = try store.addAnnotation(
            on: try Self.section("教师队伍不断加强", of: report.id, in: store), text: "培训", quote: "四十场")
        let body = try store.reportBody(report.id)
        var text = EditedReport.text(title: body.title, sectionTexts: body.sections.map(\.text))
        text = text.replacingOccurrences(of: "（二）教师队伍不断加强", with: "（二）教师队伍建设")
            .replacingOccurrences(of: "部分学校班额偏大。", with: "部分学校班额偏大。\n（一）均衡发展\n推进学区制管理改革。")
        let revised = try store.reviseReport(report.id, with: try EditedReport.parse(text))
        #expect(revised.outcome == .revised)
        // A changed heading is a new section; the note's quote is there once, so the note follows it.
        #expect(revised.orphaned.isEmpty)
        let sections = try store.outline(of: report.id.rawValue).sections
        #expect(sections.map(\.heading) == ["", "主要工作", "办学条件持续改善", "教师队伍建设", "存在的问题", "均衡发展", "明年工作打算"])
        let followed = try store.annotation(renamed.id.rawValue)
        #expect(followed.placement == "relocated")
        #expect(followed.section == sections.first { $0.heading == "教师队伍建设" }?.id)
        #expect(followed.movedFrom == renamed.section)
        #expect(try store.annotation(kept.id.rawValue).placement == "exact")
        #expect(try store.reportBody(report.id).source == ReportSource(file: F.eastFile, title: F.title, occurrence: 1))
    }
}
