import Testing
@testable import MarginCore

@Suite("Anchoring annotations to quotes")
struct TextAnchorTests {
    let text = "一、教育工作回顾。教育质量稳步提高,教育投入增加。"

    @Test func uniqueQuoteIsAnchoredWithScalarOffsetsAndContext() throws {
        let anchor = try TextAnchor.locate(quote: "质量稳步提高", in: text)
        #expect(anchor.start == 11)
        #expect(anchor.end == 17)
        #expect(anchor.prefix == "一、教育工作回顾。教育")
        #expect(anchor.suffix == ",教育投入增加。")
        #expect(anchor.matches(text))
    }

    @Test func offsetsCountUnicodeScalarsNotBytesOrGraphemes() throws {
        let anchor = try TextAnchor.locate(quote: "b", in: "👍🏽ab")
        #expect(anchor.start == 3)
    }

    @Test func repeatedQuoteNeedsAnOccurrence() throws {
        #expect(throws: MarginCoreError(.quoteAmbiguous(quote: "教育", occurrences: 3))) {
            try TextAnchor.locate(quote: "教育", in: text)
        }
        let second = try TextAnchor.locate(quote: "教育", in: text, occurrence: 2)
        #expect(second.start == 9)
        #expect(throws: MarginCoreError(.occurrenceOutOfRange(quote: "教育", occurrence: 4, occurrences: 3))) {
            try TextAnchor.locate(quote: "教育", in: text, occurrence: 4)
        }
    }

    @Test func missingOrEmptyQuoteIsAnError() {
        #expect(throws: MarginCoreError(.quoteNotFound(quote: "不存在"))) { try TextAnchor.locate(quote: "不存在", in: text) }
        #expect(throws: MarginCoreError(.quoteNotFound(quote: ""))) { try TextAnchor.locate(quote: "", in: text) }
    }

    @Test func matchesFailsOnceTheTextMoved() throws {
        let anchor = try TextAnchor.locate(quote: "质量稳步提高", in: text)
        #expect(!anchor.matches("前言。" + text))
        #expect(!anchor.matches("短"))
    }

    @Test func errorMessagesSayWhatToDo() {
        let message = MarginCoreError(.quoteAmbiguous(quote: "教育", occurrences: 3)).description
        #expect(message.contains("--occurrence"))
    }
}
