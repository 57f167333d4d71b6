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
