import Foundation
import ReportParser
import Testing
@testable import MarginCore
@testable import MarginStore

@Suite("A write made from an earlier view (an editor session) never overwrites a revision that arrived meanwhile")
struct SeenRevisionsTests {
    static func isChangedMeanwhile(_ error: any Error) -> Bool {
        guard let error = error as? MarginStoreError, case .changedMeanwhile = error.kind else { return false }
        return true
    }

    @Test func aNoteEditedElsewhereWhileOpenIsKeptAndTheSaveRefused() throws {
        let (a, b, note) = try ConflictTests.peersSharingAnAnnotation("原文")
        let seen = try a.seenRevisions(ofAnnotation: note.shortID)
        try b.editAnnotation(note.id.rawValue, text: "B 在此期间的修改")
        try ReceivedRevisionTests.copy(from: b, to: a)
        let before = try a.history(of: note.shortID).count
        #expect(throws: (any Error).self) { try a.changeAnnotationText(note.shortID, to: "A 的文字", since: seen) }
        do {
            _ = try a.changeAnnotationText(note.shortID, to: "A 的文字", since: seen)
        } catch {
            #expect(Self.isChangedMeanwhile(error), "\(error)")
            #expect("\(error)".contains("changed while you were editing"))
        }
        #expect(try a.annotation(note.shortID).text == "B 在此期间的修改")
        #expect(try a.history(of: note.shortID).count == before)
        // Read again, the same edit goes through, built on B's revision.
        let fresh = try a.seenRevisions(ofAnnotation: note.shortID)
        #expect(try a.changeAnnotationText(note.shortID, to: "A 的文字", since: fresh).written)
        #expect(try a.annotation(note.shortID).text == "A 的文字")
    }

    @Test func aReportChangedByAnImportWhileOpenIsKeptAndTheEditRefused() throws {
        let store = try StoreTestSupport.newStore()
        let file = "松林县.txt"
        let id = try #require(try store.importReports(from: ReportRemovalTests.reportText(), fileName: file).reports.first).id
        let seen = try store.seenRevisions(of: id)
        _ = try store.importReports(from: ReportRemovalTests.reportText(extra: "导入时补上的一句。"), fileName: file)
        let edited = try ReportParser.parse(data: ReportRemovalTests.reportText(title: "松林县教育局2025年工作总结（改）"), fileName: file)[0]
        do {
            _ = try store.reviseReport(id, with: edited, since: seen)
            Issue.record("the edit was saved over the import")
        } catch {
            #expect(Self.isChangedMeanwhile(error), "\(error)")
        }
        #expect(try store.search(text: "导入时补上").total == 1)
        #expect(try store.reportBody(id).title == "松林县教育局2025年工作总结")
        // Unchanged since it was read: the edit is saved.
        #expect(try store.reviseReport(id, with: edited, since: store.seenRevisions(of: id)).outcome == .revised)
    }

    @Test func aResolutionWrittenBeforeAThirdSideArrivedIsRefused() throws {
        let (a, b, note) = try ConflictTests.peersSharingAnAnnotation("原文")
        let c = try StoreTestSupport.seededStore(author: "c")
        try ReceivedRevisionTests.copy(from: a, to: c)
        try a.editAnnotation(note.id.rawValue, text: "A 的修改")
        try b.editAnnotation(note.id.rawValue, text: "B 的修改")
        try ConflictTests.exchange(a, b)
        let seen = try a.seenRevisions(ofAnnotation: note.shortID)
        #expect(try a.conflict(note.shortID).sides.count == 2)
        try c.editAnnotation(note.id.rawValue, text: "C 的修改")
        try ReceivedRevisionTests.copy(from: c, to: a)
        do {
            _ = try a.resolveConflict(note.shortID, text: "A 和 B 合起来", since: seen)
            Issue.record("the resolution settled a side nobody saw")
        } catch {
            #expect(Self.isChangedMeanwhile(error), "\(error)")
        }
        #expect(try a.conflict(note.shortID).sides.count == 3)
    }
}
