import Testing
@testable import ReportParser

/// Whole pages, one per numbering form (decimal numbers, brackets, formal numerals bare and in brackets, articles,
/// wide gaps, Word's ⑴, 1）, ① and Ⅰ、), written in our own words with outlines written by reading them; each holds body
/// text that must not become a heading.
@Suite("Numbering forms")
struct NumberingFormTests {
    static let pages = CorpusPage.fixturePages(in: "numbering")

    @Test func everyFormHasAPage() {
        #expect(Self.pages.map(\.name) == ["numbering/articles", "numbering/brackets", "numbering/circled-numbers",
                                           "numbering/closing-parentheses", "numbering/decimal-outline",
                                           "numbering/decimal-under-chinese", "numbering/formal-in-brackets",
                                           "numbering/formal-numerals", "numbering/parenthesized-digits",
                                           "numbering/roman-numerals", "numbering/wide-gaps"])
    }

    @Test(arguments: pages)
    func outlineAsAPersonReadsIt(page: CorpusPage) throws {
        let parsed = try page.parsedOutline()
        #expect(parsed == (try page.expected()), "parsed:\n\(parsed)")
    }
}
