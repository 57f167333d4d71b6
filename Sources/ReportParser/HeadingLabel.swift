/// Recognises numbered section headings such as `一、`, `（一）`, `1.` and `(1)`.
///
/// Works on Unicode scalars rather than Characters: every label and break
/// character is a single scalar, and grapheme breaking dominated parse time.
struct HeadingLabel: Equatable, Sendable {
    /// 1 for `一、`, 2 for `（一）`, 3 for `1、`/`1.`/`1．`, 4 for `（1）`.
    var level: Int
    /// The label exactly as written, including any spaces inside the parentheses.
    var label: String
    /// The heading text after the label, up to the first sentence break.
    var heading: String

    static let maxHeadingLength = 60

    private typealias Scalars = [Unicode.Scalar]

    /// Returns the heading if `line` (after optional leading whitespace) starts with a label.
    static func parse(_ line: String) -> HeadingLabel? {
        let content = line.unicodeScalars.drop(while: isSpace)
        guard let first = content.first, mayStartLabel(first) else { return nil }
        // Labels are a few scalars and headings are capped at 60 characters, so a
        // bounded prefix gives the same result as the whole (possibly huge) line.
        let s = Scalars(content.prefix(200))
        guard let (level, length) = matchLabel(s) else { return nil }
        return HeadingLabel(level: level, label: string(s[..<length]), heading: headingText(s[length...]))
    }

    private static func mayStartLabel(_ c: Unicode.Scalar) -> Bool {
        isOpenParen(c) || isChineseDigit(c) || c == "十" || isDigit(c)
    }

    private static func matchLabel(_ s: Scalars) -> (level: Int, length: Int)? {
        guard let first = s.first else { return nil }
        if isOpenParen(first) {
            var i = 1
            while i < s.count, s[i] == " " { i += 1 }
            let start = i
            let level: Int
            if let n = chineseNumeralLength(s, from: start) {
                level = 2; i = start + n
            } else {
                while i < s.count, i - start < 3, isDigit(s[i]) { i += 1 }
                guard (1...2).contains(i - start) else { return nil }
                level = 4
            }
            while i < s.count, s[i] == " " { i += 1 }
            guard i < s.count, isCloseParen(s[i]) else { return nil }
            return (level, i + 1)
        }
        if let n = chineseNumeralLength(s, from: 0) {
            guard n < s.count, s[n] == "、" else { return nil }
            return (1, n + 1)
        }
        var i = 0
        while i < s.count, i < 3, isDigit(s[i]) { i += 1 }
        guard (1...2).contains(i), i < s.count, s[i] == "、" || s[i] == "." || s[i] == "．" else { return nil }
        // "3.5亿元" is a decimal, not a heading.
        if i + 1 < s.count, isDigit(s[i + 1]) { return nil }
        return (3, i + 1)
    }

    /// Length of a Chinese numeral 1...99 (一 … 九十九) at `start`, preferring the longest form.
    private static func chineseNumeralLength(_ s: Scalars, from start: Int) -> Int? {
        func digit(_ i: Int) -> Bool { i < s.count && isChineseDigit(s[i]) }
        func ten(_ i: Int) -> Bool { i < s.count && s[i] == "十" }
        if ten(start) { return digit(start + 1) ? 2 : 1 }
        guard digit(start) else { return nil }
        if s[start] != "一", ten(start + 1) { return digit(start + 2) ? 3 : 2 }
        return 1
    }

    /// Many headings run straight into the body ("一、2011年工作回顾 过去的一年…"),
    /// so the heading ends at the first sentence break or whitespace gap.
    private static func headingText(_ rest: ArraySlice<Unicode.Scalar>) -> String {
        let body = rest.drop(while: isSpace)
        var end = body.endIndex
        var i = body.startIndex
        while i < body.endIndex {
            let c = body[i]
            if "。；;！!？?".unicodeScalars.contains(c) { end = i; break }
            if c == ":" || c == "：" {
                if body[(i + 1)...].contains(where: { !isSpace($0) }) { end = i; break }
            } else if isSpace(c) {
                var j = i
                while j < body.endIndex, isSpace(body[j]) { j += 1 }
                if j == body.endIndex { end = i; break }
                // A gap before a new word starts the body; a gap before punctuation
                // ("促进了 “三大活动”", "资源 ,为…") or between Latin words ("Office 365")
                // is a stray space inside the heading.
                let next = body[j]
                let startsWord = next.properties.isAlphabetic || next.properties.numericType != nil
                let joinsLatin = isASCIIAlnum(body[i - 1]) && isASCIIAlnum(next)
                if startsWord && !joinsLatin { end = i; break }
                i = j
                continue
            }
            i += 1
        }
        let text = LineText.trimmed(string(body[body.startIndex..<end]))
        return String(text.prefix(maxHeadingLength))
    }

    private static func string(_ s: ArraySlice<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: s)
        return String(view)
    }

    private static func isSpace(_ c: Unicode.Scalar) -> Bool { c.properties.isWhitespace }
    private static func isChineseDigit(_ c: Unicode.Scalar) -> Bool { "一二三四五六七八九".unicodeScalars.contains(c) }
    private static func isDigit(_ c: Unicode.Scalar) -> Bool { ("0"..."9").contains(c) || ("０"..."９").contains(c) }
    private static func isOpenParen(_ c: Unicode.Scalar) -> Bool { c == "(" || c == "（" }
    private static func isCloseParen(_ c: Unicode.Scalar) -> Bool { c == ")" || c == "）" }
    private static func isASCIIAlnum(_ c: Unicode.Scalar) -> Bool {
        c.isASCII && (("0"..."9").contains(c) || ("a"..."z").contains(c) || ("A"..."Z").contains(c))
    }
}
