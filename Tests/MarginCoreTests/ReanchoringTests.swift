import Testing
@testable import MarginCore

@Suite("Re-anchoring quotes in changed text")
struct ReanchoringTests {
    let original = "一、教育工作回顾。全市教育质量稳步提高,教育投入持续增加,师资队伍不断壮大。"

    /// Any anchor a peer may send is placed on every peer: one too large to search is orphaned at once, never a stall.
    @Test func anAnchorTooLargeToSearchIsOrphanedEverywhere() {
        let text = String(repeating: "a", count: 100_000)
        let quote = String(repeating: "a", count: 3_000) + "b"
        let anchor = TextAnchor(quote: quote, prefix: "", suffix: "", start: 9_007_199_254_740_990, end: 9_007_199_254_740_991)
        #expect(Reanchoring.place(anchor, in: text) == .orphaned)
        // Within the bounds, the same kind of text still re-anchors approximately.
        let small = TextAnchor(quote: String(repeating: "a", count: 20) + "b", prefix: "", suffix: "", start: 5, end: 26)
        #expect(Reanchoring.place(small, in: String(repeating: "a", count: 2_000)) != .orphaned)
    }

    @Test func unchangedTextKeepsTheStoredPosition() throws {
        let anchor = try TextAnchor.locate(quote: "教育质量稳步提高", in: original)
        #expect(Reanchoring.place(anchor, in: original) == .exact(start: anchor.start, end: anchor.end))
    }

    @Test func movedQuoteIsFoundByExactSearch() throws {
        let anchor = try TextAnchor.locate(quote: "教育质量稳步提高", in: original)
        let changed = "前言:新增一句。" + original
        #expect(Reanchoring.place(anchor, in: changed) == .moved(start: anchor.start + 8, end: anchor.end + 8))
    }

    @Test func slightlyEditedQuoteIsFoundApproximately() throws {
        let anchor = try TextAnchor.locate(quote: "教育投入持续增加,师资队伍", in: original)
        let changed = original.replacingOccurrences(of: "持续增加", with: "继续增加")
        guard case let .approximate(start, end, score) = Reanchoring.place(anchor, in: changed) else {
            Issue.record("expected an approximate placement")
            return
        }
        let placed = String(String.UnicodeScalarView(Array(changed.unicodeScalars)[start..<end]))
        #expect(placed.contains("继续增加"))
        #expect(score >= Reanchoring.acceptanceThreshold)
    }

    @Test func quoteThatIsGoneIsOrphaned() throws {
        let anchor = try TextAnchor.locate(quote: "师资队伍不断壮大", in: original)
        #expect(Reanchoring.place(anchor, in: "一、全新的内容,与原文毫无关系。") == .orphaned)
        #expect(Reanchoring.place(anchor, in: "") == .orphaned)
    }
}
