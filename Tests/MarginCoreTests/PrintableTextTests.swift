import MarginCore
import Testing

/// Untrusted text in an error message reaches a terminal: control characters are shown, never sent.
@Suite struct PrintableTextTests {
    @Test func controlCharactersAreWrittenOut() {
        #expect(TextRules.printable("a\u{1B}]0;x\u{07}b") == "a\\u{1b}]0;x\\u{7}b")
        #expect(TextRules.printable("del\u{7F}") == "del\\u{7f}")
        #expect(TextRules.printable("csi\u{9B}2J") == "csi\\u{9b}2J")
        #expect(TextRules.printable("\u{80}\u{9F}") == "\\u{80}\\u{9f}")
    }

    @Test func otherTextIsKeptAndLongTextCut() {
        #expect(TextRules.printable("报告 é\u{A0}😀") == "报告 é\u{A0}😀")
        #expect(TextRules.printable(String(repeating: "x", count: 50), limit: 40) == String(repeating: "x", count: 40) + "…")
    }
}
