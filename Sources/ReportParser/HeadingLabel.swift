/// Recognises numbered section headings such as `一、`, `（一）`, `1.`, `(1)`, `【一】`, `壹、`, `（壹）`, `1.2`, the
/// characters Word numbers with (`⑴`, `①`, `Ⅰ、`) and `1）`, parts such as `第一部分` and articles such as `第一条`.
///
/// Works on Unicode scalars rather than Characters: every label and break
/// character is a single scalar, and grapheme breaking dominated parse time.
struct HeadingLabel: Equatable, Sendable {
    /// The numbering scheme of a label, outermost first.
    enum Kind: Int, Sendable, Comparable, CaseIterable {
        /// `第一部分`, `第一章`.
        case part
        /// `第一节`.
        case subpart
        /// `第一条`, an article of rules or measures.
        case article
        /// `Ⅰ、`, `Ⅱ.`, `Ⅲ 标题`: Roman numerals (U+2160–U+216B), a top level; only at a line's start, in their run
        /// from `Ⅰ`.
        case roman
        /// `壹、`, formal (financial) numerals, over `一、` where a report uses both.
        case formal
        /// `（壹）`, `(壹)`, `【壹】`, `〔壹〕`, `［壹］`: formal numerals in brackets, the level under `壹、`.
        case parenFormal
        /// `一、`, `一.`, `一．`, `一　` (a wide gap instead of the mark).
        case chinese
        /// `（一）`, `(一)`, `【一】`, `〔一〕`, `［一］`.
        case parenChinese
        /// `1、`, `1.`, `1．`, `1 、`, `1　`.
        case arabic
        /// `（1）`, `(1)`, `【1】`, `〔1〕`, `［1］`, and Word's parenthesized digits `⑴` … `⒇` (U+2474–U+2487).
        case parenArabic
        /// `1）`, `1)`: a number closed by a parenthesis only, the level below `（1）`; only at a line's start, in its run.
        case closeParenArabic
        /// `①` … `⑳` (U+2460–U+2473), the deepest level; only at a line's start, in their run from `①`.
        case circled
        /// `1.1`, `1.1.1`, `2.3、`: decimal outline numbers, whose level the document's order gives (`SectionParser`).
        case decimal

        static func < (a: Kind, b: Kind) -> Bool { a.rawValue < b.rawValue }

        /// Forms a report may leave out between the levels around them (`一、` straight under `壹、`, with no `（壹）`).
        var mayBeSkipped: Bool { self == .roman || self == .parenFormal || self == .closeParenArabic }

        /// Forms that head a section only at a line's start, and only as the next in their run (`①` then `②`): inside
        /// a sentence they are references or list marks (`见①`, `分为1)…2)…`).
        var headsOnlyALine: Bool { self == .roman || self == .closeParenArabic || self == .circled }

        /// Forms that are words or marks in text as often as labels: each heads a section only as the next in its run
        /// from 1 (`陆、海、空` and a lone `③` stay text).
        var numbersOnlyInItsRun: Bool {
            self == .roman || self == .formal || self == .parenFormal || self == .closeParenArabic || self == .circled
        }
    }

    /// 1 for `一、`, 2 for `（一）`, 3 for `1、`/`1.`/`1．`, 4 for `（1）`, 5 for `1）`, 6 for `①`; 0 for parts, articles,
    /// Roman numerals, formal numerals (bare or in brackets) and decimal numbers, whose level depends on which kinds a
    /// report uses and where (see `SectionParser`).
    var level: Int
    /// The label exactly as written, including any spaces inside the parentheses, and the gap that stands for the mark
    /// of a label without one (`一　`, `1.1 `), so that label and heading together read as the line does.
    var label: String
    /// The heading text after the label, up to the first sentence break.
    var heading: String
    /// The numbering scheme.
    var kind: Kind = .chinese
    /// The number the label gives (1 for `一、`, `（1）`, `第一部分`; the last part of a decimal number, 2 for `1.2`).
    var number: Int = 0
    /// A decimal number's parts (`[1, 2]` for `1.2`); empty for every other kind.
    var path: [Int] = []

    static let maxHeadingLength = 60

    typealias Scalars = [Unicode.Scalar]

    /// Returns the heading if `line` (after optional leading whitespace) starts with a label.
    static func parse(_ line: String) -> HeadingLabel? {
        parse(scalars: line.unicodeScalars)
    }

    /// As `parse(_:)`, on a line's scalars (so a caller can look for labels inside a line cheaply).
    static func parse<S: Collection<Unicode.Scalar>>(scalars: S) -> HeadingLabel? {
        let content = scalars.drop(while: isSpace)
        guard let first = content.first, mayStartLabel(first) else { return nil }
        // Labels are a few scalars and headings are capped at 60 characters, so a
        // bounded prefix gives the same result as the whole (possibly huge) line.
        let s = Scalars(content.prefix(200))
        if first == "第" { return parsePart(s) }
        if isDigit(first), let decimal = parseDecimal(s) { return decimal }
        if EnclosedNumbers.label(first) != nil { return parseEnclosed(s) }
        guard let (kind, length, number) = matchLabel(s) else { return nil }
        return HeadingLabel(level: level(of: kind), label: string(s[..<length]), heading: headingText(s[length...]),
                            kind: kind, number: number)
    }

    /// The level a kind has whatever else a report uses; 0 where that depends on the report (see `level`).
    static func level(of kind: Kind) -> Int {
        switch kind {
        case .chinese: 1
        case .parenChinese: 2
        case .arabic: 3
        case .parenArabic: 4
        case .closeParenArabic: 5
        case .circled: 6
        default: 0
        }
    }

    /// Whether `c` can begin a label; a cheap screen before `parse`.
    static func mayStartLabel(_ c: Unicode.Scalar) -> Bool {
        isOpenParen(c) || isChineseDigit(c) || c == "十" || isDigit(c) || c == "第" || FormalNumerals.isNumeral(c)
            || EnclosedNumbers.label(c) != nil
    }

    /// `第一部分`, `第二章`, `第三节`: the number, the unit, then a separator or a short unpunctuated line,
    /// so prose such as "第一节课上" is not a heading.
    private static func parsePart(_ s: Scalars) -> HeadingLabel? {
        var i = 1
        let number: Int
        if let n = chineseNumeralLength(s, from: 1) {
            number = chineseValue(s[1..<(1 + n)]); i = 1 + n
        } else {
            while i < s.count, i < 4, isDigit(s[i]) { i += 1 }
            guard (2...3).contains(i) else { return nil }
            number = arabicValue(s[1..<i])
        }
        let kind: Kind
        if i + 1 < s.count, s[i] == "部", s[i + 1] == "分" { kind = .part; i += 2 }
        else if i < s.count, s[i] == "章" { kind = .part; i += 1 }
        else if i < s.count, s[i] == "节" || s[i] == "節" { kind = .subpart; i += 1 }
        else if i < s.count, s[i] == "条" || s[i] == "條" { kind = .article; i += 1 }
        else { return nil }
        let label = string(s[..<i])
        let separators = "：:、.．—-".unicodeScalars
        // An article's text follows a gap, a colon, its topic in brackets (`第一条【目的】`) or nothing: "第一条腿…" and
        // "第一条路线" are prose.
        if kind == .article, i < s.count, !isSpace(s[i]), s[i] != "：", s[i] != ":", s[i] != "【" { return nil }
        if kind != .article, i < s.count, !isSpace(s[i]), !separators.contains(s[i]) {
            let rest = s[i...]
            guard s.count < 30, !rest.contains(where: LineText.sentencePunctuation.contains) else { return nil }
        }
        let rest = s[i...].drop(while: { isSpace($0) || separators.contains($0) })
        // An article has no heading of its own: its first clause ("为了规范课后服务") stands for it.
        let heading = kind == .article ? String(headingText(rest).prefix { $0 != "，" && $0 != "," }) : headingText(rest)
        return HeadingLabel(level: 0, label: label, heading: heading, kind: kind, number: number)
    }

    private static func matchLabel(_ s: Scalars) -> (kind: Kind, length: Int, number: Int)? {
        guard let first = s.first else { return nil }
        if isOpenParen(first) {
            let closing = closingBracket(of: first)
            var i = 1
            while i < s.count, s[i] == " " { i += 1 }
            let start = i
            let kind: Kind
            let number: Int
            if let n = chineseNumeralLength(s, from: start) {
                kind = .parenChinese; i = start + n
                number = chineseValue(s[start..<i])
            } else if let n = FormalNumerals.length(s, from: start) {
                kind = .parenFormal; i = start + n
                number = FormalNumerals.value(s[start..<i])
            } else {
                while i < s.count, i - start < 3, isDigit(s[i]) { i += 1 }
                guard (1...2).contains(i - start) else { return nil }
                kind = .parenArabic
                number = arabicValue(s[start..<i])
            }
            while i < s.count, s[i] == " " { i += 1 }
            guard i < s.count, closing.map({ s[i] == $0 }) ?? isCloseParen(s[i]) else { return nil }
            return (kind, i + 1, number)
        }
        if let digits = FormalNumerals.length(s, from: 0) {
            let number = FormalNumerals.value(s[0..<digits])
            if let heading = headingAfterGap(s, from: digits) { return (.formal, heading, number) }
            let n = markAfterSpaces(s, from: digits)
            guard n < s.count, s[n] == "、" || s[n] == "." || s[n] == "．" else { return nil }
            return (.formal, n + 1, number)
        }
        if let digits = chineseNumeralLength(s, from: 0) {
            if let heading = headingAfterGap(s, from: digits) { return (.chinese, heading, chineseValue(s[0..<digits])) }
            // "一." and "一．" as well as "一、"; "一.5" is not a label. "一 、" (a space before the mark, as PDF
            // extraction leaves it) is a label too, like "1 、".
            var n = digits
            let mark = markAfterSpaces(s, from: digits)
            if mark > digits, mark < s.count, s[mark] == "、" { n = mark }
            guard n < s.count, s[n] == "、" || s[n] == "." || s[n] == "．" else { return nil }
            if s[n] != "、", n + 1 < s.count, isDigit(s[n + 1]) { return nil }
            let number = chineseValue(s[0..<digits])
            if NumberRange.follows(number, in: s, from: n + 1) { return nil }
            return (.chinese, n + 1, number)
        }
        var i = 0
        while i < s.count, i < 3, isDigit(s[i]) { i += 1 }
        guard (1...2).contains(i) else { return nil }
        let digits = i
        if let heading = headingAfterGap(s, from: digits) { return (.arabic, heading, arabicValue(s[0..<digits])) }
        if digits < s.count, isCloseParen(s[digits]) {
            let number = arabicValue(s[0..<digits])
            return closesALabel(s, at: digits) && number > 0 ? (.closeParenArabic, digits + 1, number) : nil
        }
        // "1 、" (a space before the mark, as PDF extraction leaves it) is a label; "1 ." is not.
        let mark = markAfterSpaces(s, from: i)
        if mark > i, mark < s.count, s[mark] == "、" { i = mark }
        guard i < s.count, s[i] == "、" || s[i] == "." || s[i] == "．" else { return nil }
        // "3.5亿元" is a decimal, not a heading; "3、2.作业" (a preview's chunk number before a label) is a label.
        if s[i] != "、", i + 1 < s.count, isDigit(s[i + 1]) { return nil }
        let number = arabicValue(s[0..<digits])
        if NumberRange.follows(number, in: s, from: i + 1) { return nil }
        return (.arabic, i + 1, number)
    }

    /// Where a label's mark would stand after at most two spaces from `start` (`start` itself when none follow).
    private static func markAfterSpaces(_ s: Scalars, from start: Int) -> Int {
        var mark = start
        while mark < s.count, mark - start < 2, s[mark] == " " || s[mark] == "\u{3000}" { mark += 1 }
        return mark
    }

    /// Length of a Chinese numeral 1...99 (一 … 九十九) at `start`, preferring the longest form.
    static func chineseNumeralLength(_ s: Scalars, from start: Int) -> Int? {
        func digit(_ i: Int) -> Bool { i < s.count && isChineseDigit(s[i]) }
        func ten(_ i: Int) -> Bool { i < s.count && s[i] == "十" }
        if ten(start) { return digit(start + 1) ? 2 : 1 }
        guard digit(start) else { return nil }
        if s[start] != "一", ten(start + 1) { return digit(start + 2) ? 3 : 2 }
        return 1
    }

    /// Many headings run straight into the body ("一、2011年工作回顾 过去的一年…"),
    /// so the heading ends at the first sentence break or whitespace gap.
    static func headingText(_ rest: ArraySlice<Unicode.Scalar>) -> String {
        let body = rest.drop(while: isSpace)
        var end = body.endIndex
        var i = body.startIndex
        while i < body.endIndex {
            let c = body[i]
            if LineText.sentenceBreaks.contains(c) { end = i; break }
            if c == ":" || c == "：" {
                if isHeadline(body[(i + 1)...]) { i += 1; continue }
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

    /// The longest headline after a topic and a colon (`学前教育：普惠资源持续扩大。`), in characters.
    static let maxHeadlineLength = 12

    /// Whether `rest`, after a heading's colon, is a headline that belongs to the heading: a short phrase of letters
    /// closed by a sentence break (`一、学前教育：普惠资源持续扩大。新增公办园8所…`). What a colon announces is the
    /// body instead: a sentence with commas or digits, a longer clause, a clause the line does not close, or an
    /// enumeration opened by a number (`三、主要工作：一是加强学习。…`).
    private static func isHeadline(_ rest: ArraySlice<Unicode.Scalar>) -> Bool {
        var length = 0
        var i = rest.startIndex
        while i < rest.endIndex, !LineText.sentenceBreaks.contains(rest[i]) {
            guard rest[i].properties.isAlphabetic, !(length == 0 && isChineseDigit(rest[i])) else { return false }
            length += 1
            i += 1
        }
        return i < rest.endIndex && (2...maxHeadlineLength).contains(length)
    }

    static func chineseValue(_ s: ArraySlice<Unicode.Scalar>) -> Int {
        let digits: [Unicode.Scalar: Int] = ["一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9]
        guard let ten = s.firstIndex(of: "十") else { return digits[s.first!] ?? 0 }
        let tens = ten == s.startIndex ? 1 : (digits[s[s.startIndex]] ?? 1)
        let ones = ten + 1 < s.endIndex ? (digits[s[ten + 1]] ?? 0) : 0
        return tens * 10 + ones
    }

    static func arabicValue(_ s: ArraySlice<Unicode.Scalar>) -> Int {
        s.reduce(0) { value, c in
            let base: Unicode.Scalar = ("0"..."9").contains(c) ? "0" : "０"
            return value * 10 + Int(c.value - base.value)
        }
    }

    static func string(_ s: ArraySlice<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: s)
        return String(view)
    }

    static func isSpace(_ c: Unicode.Scalar) -> Bool { c.properties.isWhitespace }
    /// Called for every scalar of every line (as a screen for labels), so a switch rather than a string search.
    static func isChineseDigit(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "一", "二", "三", "四", "五", "六", "七", "八", "九": true
        default: false
        }
    }
    static func isDigit(_ c: Unicode.Scalar) -> Bool { ("0"..."9").contains(c) || ("０"..."９").contains(c) }
    private static func isOpenParen(_ c: Unicode.Scalar) -> Bool {
        c == "(" || c == "（" || c == "【" || c == "〔" || c == "［"
    }
    /// The one bracket that closes `open`; nil for parentheses, which pages mix (`（一)`).
    private static func closingBracket(of open: Unicode.Scalar) -> Unicode.Scalar? {
        switch open {
        case "【": "】"
        case "〔": "〕"
        case "［": "］"
        default: nil
        }
    }
    static func isCloseParen(_ c: Unicode.Scalar) -> Bool { c == ")" || c == "）" }
    private static func isASCIIAlnum(_ c: Unicode.Scalar) -> Bool {
        c.isASCII && (("0"..."9").contains(c) || ("a"..."z").contains(c) || ("A"..."Z").contains(c))
    }
}
