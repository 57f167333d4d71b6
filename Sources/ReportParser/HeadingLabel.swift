/// Recognises numbered section headings such as `一、`, `（一）`, `1.` and `(1)`.
struct HeadingLabel: Equatable, Sendable {
    /// 1 for `一、`, 2 for `（一）`, 3 for `1、`/`1.`/`1．`, 4 for `（1）`.
    var level: Int
    /// The label exactly as written, including any spaces inside the parentheses.
    var label: String
    /// The heading text after the label, up to the first sentence break.
    var heading: String

    static let maxHeadingLength = 60

    /// Returns the heading if `line` (after optional leading whitespace) starts with a label.
    static func parse(_ line: String) -> HeadingLabel? {
        let chars = Array(line.drop(while: \.isWhitespace))
        guard let (level, length) = matchLabel(chars) else { return nil }
        return HeadingLabel(level: level, label: String(chars[..<length]),
                            heading: headingText(chars[length...]))
    }

    private static func matchLabel(_ c: [Character]) -> (level: Int, length: Int)? {
        guard let first = c.first else { return nil }
        if isOpenParen(first) {
            var i = 1
            while i < c.count, c[i] == " " { i += 1 }
            let start = i
            var level = 0
            if let n = chineseNumeralLength(c, from: start) {
                level = 2; i = start + n
            } else {
                while i < c.count, i - start < 3, isDigit(c[i]) { i += 1 }
                guard (1...2).contains(i - start) else { return nil }
                level = 4
            }
            while i < c.count, c[i] == " " { i += 1 }
            guard i < c.count, isCloseParen(c[i]) else { return nil }
            return (level, i + 1)
        }
        if let n = chineseNumeralLength(c, from: 0) {
            guard n < c.count, c[n] == "、" else { return nil }
            return (1, n + 1)
        }
        var i = 0
        while i < c.count, i < 3, isDigit(c[i]) { i += 1 }
        guard (1...2).contains(i), i < c.count, "、.．".contains(c[i]) else { return nil }
        // "3.5亿元" is a decimal, not a heading.
        if i + 1 < c.count, isDigit(c[i + 1]) { return nil }
        return (3, i + 1)
    }

    /// Length of a Chinese numeral 1...99 (一 … 九十九) at `start`, preferring the longest form.
    private static func chineseNumeralLength(_ c: [Character], from start: Int) -> Int? {
        func digit(_ i: Int) -> Bool { i < c.count && "一二三四五六七八九".contains(c[i]) }
        func ten(_ i: Int) -> Bool { i < c.count && c[i] == "十" }
        if ten(start) { return digit(start + 1) ? 2 : 1 }
        guard digit(start) else { return nil }
        if c.count > start + 1, "二三四五六七八九".contains(c[start]), ten(start + 1) {
            return digit(start + 2) ? 3 : 2
        }
        return 1
    }

    private static func isDigit(_ ch: Character) -> Bool {
        ("0"..."9").contains(ch) || ("０"..."９").contains(ch)
    }
    private static func isOpenParen(_ ch: Character) -> Bool { ch == "(" || ch == "（" }
    private static func isCloseParen(_ ch: Character) -> Bool { ch == ")" || ch == "）" }

    /// Many headings run straight into the body ("一、2011年工作回顾 过去的一年…"),
    /// so the heading ends at the first sentence break or whitespace gap.
    private static func headingText(_ rest: ArraySlice<Character>) -> String {
        let body = rest.drop(while: \.isWhitespace)
        var end = body.endIndex
        var i = body.startIndex
        scan: while i < body.endIndex {
            let ch = body[i]
            if "。；;！!？?".contains(ch) { end = i; break }
            if ch == ":" || ch == "：" {
                if body[(i + 1)...].contains(where: { !$0.isWhitespace }) { end = i; break }
            } else if ch.isWhitespace {
                var j = i
                while j < body.endIndex, body[j].isWhitespace { j += 1 }
                if j == body.endIndex { end = i; break scan }
                // Keep spaces between Latin words/numbers ("Office 365").
                let joinsLatin = i > body.startIndex && isASCIIAlnum(body[i - 1]) && isASCIIAlnum(body[j])
                if !joinsLatin { end = i; break }
                i = j
                continue
            }
            i += 1
        }
        let text = String(LineText.trimmed(String(body[body.startIndex..<end])))
        return String(text.prefix(maxHeadingLength))
    }

    private static func isASCIIAlnum(_ ch: Character) -> Bool {
        ch.isASCII && (ch.isLetter || ch.isNumber)
    }
}
