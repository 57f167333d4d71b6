import Testing
@testable import MarginCore

@Suite("Re-anchoring quotes in changed text")
struct ReanchoringTests {
    let original = "一、教育工作回顾。全市教育质量稳步提高,教育投入持续增加,师资队伍不断壮大。"

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
