import Foundation
import ReportParser
import Testing
@testable import MarginCore
@testable import MarginStore

/// A report text made away from the store (a file) that puts back what a part said before another peer's later edit
/// is refused when the caller asks, with nothing written; undoing one's own edit is not.
@Suite("A text edited from an older copy does not undo another peer's edit")
struct LaterEditReversionTests {
    static let text = ReimportTests.text

    static func revise(_ store: MarginStore, _ id: RecordID, _ text: String, refusing: Bool = true) throws -> ImportedReport {
        try store.reviseReport(id, with: try EditedReport.parse(text), refusingReversions: refusing)
    }

    /// A, holding the report, and the report after B's edit (`old` → `new`) reached A.
    static func editedByAnotherPeer(replacing old: String, with new: String) throws -> (MarginStore, RecordID) {
        let (a, id) = try ReimportTests.importedStore()
        let b = try StoreTestSupport.newStore(author: "b")
        try ReceivedRevisionTests.copy(from: a, to: b)
        _ = try revise(b, id, text.replacingOccurrences(of: old, with: new))
        try ReceivedRevisionTests.copy(from: b, to: a)
        #expect(try (a.reportBody(id).title + ReimportTests.texts(a, id)).contains(new))
        return (a, id)
    }

    @Test func aFileSavedBeforeAnotherPeersEditIsRefusedAndChangesNothing() throws {
        let (a, id) = try Self.editedByAnotherPeer(replacing: "三百本", with: "四百本")
        let before = try ReimportTests.revisionCount(a)
        // The file is the first text with a change of A's own to another section.
        let stale = Self.text.replacingOccurrences(of: "二十次", with: "二十五次")
        #expect {
            try Self.revise(a, id, stale)
        } throws: { error in
            guard let error = error as? MarginStoreError, case let .revertsLaterEdits(_, parts) = error.kind else { return false }
            return parts == ["2 二、作业减负"]
        }
        #expect(try ReimportTests.revisionCount(a) == before)
        #expect(try ReimportTests.texts(a, id).contains("四百本"))

        // Asked to write it as it is, it is written.
        _ = try Self.revise(a, id, stale, refusing: false)
        #expect(try ReimportTests.texts(a, id).contains("三百本"))
    }

    @Test func aTitlePutBackIsNamedToo() throws {
        let (a, id) = try Self.editedByAnotherPeer(replacing: "秋季学期工作小结", with: "秋季学期工作总结")
        #expect {
            try Self.revise(a, id, Self.text)
        } throws: { error in
            guard let error = error as? MarginStoreError, case let .revertsLaterEdits(_, parts) = error.kind else { return false }
            return parts == ["the title"]
        }
    }

    @Test func undoingOnesOwnEditAndEditingTheCurrentTextAreWritten() throws {
        let (a, id) = try ReimportTests.importedStore()
        _ = try Self.revise(a, id, Self.text.replacingOccurrences(of: "三百本", with: "四百本"))
        let undone = try Self.revise(a, id, Self.text)
        #expect(undone.outcome == .revised)

        let (b, other) = try Self.editedByAnotherPeer(replacing: "三百本", with: "四百本")
        let current = Self.text.replacingOccurrences(of: "三百本", with: "四百本").replacingOccurrences(of: "二十次", with: "二十五次")
        #expect(try Self.revise(b, other, current).outcome == .revised)
    }
}
