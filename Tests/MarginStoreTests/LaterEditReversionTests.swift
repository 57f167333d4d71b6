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

    // MARK: - A stale copy with changes of one's own in the same section

    /// The report with a section of three sentences, and the stores A (which imported it) and B (which received it).
    static let longer = """
        白沙镇中学2025年秋季学期工作小结
        本学期学校着力抓好食堂管理和作业减负两件事。
        一、食堂管理
        每周公示菜谱,家长代表陪餐二十次。
        二、作业减负
        各年级作业总量控制在一小时以内。抽查作业本三百本。组织教师开展作业设计研讨四次。
        """

    /// A and B holding `longer`, with B's edit of it (`old` → `new`) received by A.
    static func longerEditedByB(replacing old: String, with new: String) throws -> (MarginStore, MarginStore, RecordID) {
        let a = try StoreTestSupport.newStore(author: "a")
        let id = try #require(try a.importReports(from: ReimportTests.data(longer), fileName: ReimportTests.file).reports.first).id
        let b = try StoreTestSupport.newStore(author: "b")
        try ReceivedRevisionTests.copy(from: a, to: b)
        _ = try revise(b, id, longer.replacingOccurrences(of: old, with: new))
        try ReceivedRevisionTests.copy(from: b, to: a)
        return (a, b, id)
    }

    static func refusal(_ error: any Error) -> [String]? {
        guard let error = error as? MarginStoreError, case let .revertsLaterEdits(_, parts) = error.kind else { return nil }
        return parts
    }

    @Test func aStaleCopyWithAChangeOfOnesOwnInTheEditedSectionIsRefused() throws {
        let (a, _, id) = try Self.longerEditedByB(replacing: "三百本", with: "四百本")
        let before = try ReimportTests.revisionCount(a)
        // The copy predates B's edit; A changed another sentence of the same section.
        let stale = Self.longer.replacingOccurrences(of: "研讨四次", with: "研讨五次")
        #expect { try Self.revise(a, id, stale) } throws: { Self.refusal($0) == ["2 二、作业减负"] }
        #expect(try ReimportTests.revisionCount(a) == before)
        #expect(try ReimportTests.texts(a, id).contains("四百本"))

        // The current text with the same change of A's own is written, and keeps B's edit.
        let current = stale.replacingOccurrences(of: "三百本", with: "四百本")
        #expect(try Self.revise(a, id, current).outcome == .revised)
        #expect(try ReimportTests.texts(a, id).contains("四百本。组织教师开展作业设计研讨五次"))
    }

    @Test func aStaleCopyWithoutASentenceAnotherPeerAddedIsRefused() throws {
        let (a, _, id) = try Self.longerEditedByB(replacing: "研讨四次。", with: "研讨四次。寒假不布置书面作业。")
        let stale = Self.longer.replacingOccurrences(of: "三百本", with: "三百五十本")
        #expect { try Self.revise(a, id, stale) } throws: { Self.refusal($0) == ["2 二、作业减负"] }
        #expect(try ReimportTests.texts(a, id).contains("寒假不布置书面作业"))
    }

    @Test func anEditUndoneSinceDoesNotStopTheText() throws {
        let (a, b, id) = try Self.longerEditedByB(replacing: "三百本", with: "四百本")
        // B takes its own edit back; A's old copy, with a change of A's own, no longer undoes anything.
        _ = try Self.revise(b, id, Self.longer)
        try ReceivedRevisionTests.copy(from: b, to: a)
        let stale = Self.longer.replacingOccurrences(of: "研讨四次", with: "研讨五次")
        #expect(try Self.revise(a, id, stale).outcome == .revised)
        #expect(try ReimportTests.texts(a, id).contains("三百本。组织教师开展作业设计研讨五次"))
    }

    @Test func undoingOnesOwnSentenceBesideAnotherPeersEditIsWritten() throws {
        let (a, _, id) = try Self.longerEditedByB(replacing: "三百本", with: "四百本")
        let withBoth = Self.longer.replacingOccurrences(of: "三百本", with: "四百本")
        _ = try Self.revise(a, id, withBoth.replacingOccurrences(of: "研讨四次", with: "研讨五次"))
        // A takes its own change back from a copy that has B's edit: nothing of B's is undone.
        #expect(try Self.revise(a, id, withBoth).outcome == .revised)
        #expect(try ReimportTests.texts(a, id).contains("四百本。组织教师开展作业设计研讨四次"))
    }
}
