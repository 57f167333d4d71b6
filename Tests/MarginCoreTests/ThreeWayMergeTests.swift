import Testing
@testable import MarginCore

@Suite("Three-way text merge")
struct ThreeWayMergeTests {
    @Test func editsInDifferentPlacesBothApply() {
        let merged = ThreeWayMerge.merge(
            base: "师资建设需要加强,经费投入不足。", ours: "师资队伍建设需要加强,经费投入不足。",
            theirs: "师资建设需要加强,经费投入明显不足。")
        #expect(merged == "师资队伍建设需要加强,经费投入明显不足。")
    }

    /// Texts are compared by scalars: NFC and NFD forms of one word are different edits, and neither is lost.
    @Test func normalizationFormsAreDifferentEdits() {
        #expect(ThreeWayMerge.merge(base: "cafe", ours: "caf\u{E9}", theirs: "cafe\u{301}") == nil)
        let merged = ThreeWayMerge.merge(base: "cafe\u{301} x", ours: "caf\u{E9} x", theirs: "cafe\u{301} y")
        #expect(merged.map { Array($0.unicodeScalars) } == Array("caf\u{E9} y".unicodeScalars))
    }

    /// Edits too long to diff in bounded time are a conflict on every peer, never a stall.
    @Test func editsTooLongToCompareAreAConflict() {
        let long = String(repeating: "长", count: ThreeWayMerge.maximumDiffLength)
        #expect(ThreeWayMerge.merge(base: "é", ours: long, theirs: "e") == nil)
        #expect(ThreeWayMerge.merge(base: "甲乙丙丁", ours: "甲乙丙丁戊", theirs: "零甲乙丙丁") == "零甲乙丙丁戊")
    }

    @Test func overlappingOrTouchingEditsDoNotMerge() {
        #expect(ThreeWayMerge.merge(base: "数据有误", ours: "数据正确", theirs: "数据存疑") == nil)
        #expect(ThreeWayMerge.merge(base: "abcdef", ours: "abXdef", theirs: "abcYef") == nil)
    }

    @Test func oneSideUnchangedTakesTheOther() {
        #expect(ThreeWayMerge.merge(base: "a", ours: "a", theirs: "b") == "b")
        #expect(ThreeWayMerge.merge(base: "a", ours: "c", theirs: "a") == "c")
        #expect(ThreeWayMerge.merge(base: "a", ours: "same", theirs: "same") == "same")
    }

    @Test func identicalChangesOnBothSidesApplyOnce() {
        #expect(ThreeWayMerge.merge(base: "abc def", ours: "abc! def?", theirs: "abc! def") == "abc! def?")
    }

    @Test func insertionsAtBothEndsMerge() {
        #expect(ThreeWayMerge.merge(base: "中间", ours: "开头中间", theirs: "中间结尾") == "开头中间结尾")
    }

    @Test func mergeIsSymmetric() {
        let base = "一二三四五六七八九十"
        let ours = "一二3四五六七八九十"
        let theirs = "一二三四五六七8九十"
        #expect(ThreeWayMerge.merge(base: base, ours: ours, theirs: theirs)
            == ThreeWayMerge.merge(base: base, ours: theirs, theirs: ours))
    }
}
