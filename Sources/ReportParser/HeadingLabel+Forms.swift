/// Label forms that unseen pages use besides the marks `、` and `．`: a wide gap after the number
/// (`一　加强师资`) and decimal outline numbers (`1.1 标题`, `2.3、标题`).
extension HeadingLabel {
    /// Words that, right after a number, make it a quantity in a sentence rather than a label (`12　月`, `1.2 万人`,
    /// `三　四年级`), and `是`, which makes it an enumeration (`一　是加强学习`).
    static let quantityWords: [[Unicode.Scalar]] = NumberRange.units + ["个", "個", "名", "所", "项", "項", "次", "人",
        "元", "万", "萬", "亿", "億", "倍", "岁", "歲", "位", "家", "天", "日", "周", "小时", "分", "秒", "米", "公里",
        "平方", "篇", "条", "條", "节", "節", "章", "版", "是", "%", "％"].map { Array($0.unicodeScalars) }

    /// Where the heading starts when, at `start` right after a label's number, a wide gap stands instead of the
    /// label's mark: an ideographic space (U+3000) or an em space (U+2003), or at least two spaces, then a word
    /// that is not a number or a quantity. One plain space is not enough (`一 是…`, `3 个`), nor is a tab (between
    /// a table row's cells). The label is the number with its gap (`一　`), so label and heading read as written.
    static func headingAfterGap(_ s: Scalars, from start: Int) -> Int? {
        var i = start
        var wide = false
        while i < s.count {
            let c = s[i]
            if c == "\u{3000}" || c == "\u{2003}" { wide = true } else if c != " " && c != "\u{00A0}" { break }
            i += 1
        }
        guard wide || i - start >= 2, i - start <= 4, startsHeadingWord(s, at: i), !isTableRow(s[i...]) else { return nil }
        return i
    }

    /// A line of cells a table left, after its row number (`1  县第三小学  2024年8月  已完工`): a tab, or two more gaps.
    /// A heading runs into its text across one gap at most (`一　回顾　过去的一年…`).
    private static func isTableRow(_ rest: ArraySlice<Unicode.Scalar>) -> Bool {
        var gaps = 0
        var spaces = 0
        for c in rest {
            if c == "\t" { return true }
            if c == "\u{3000}" || c == "\u{2003}" {
                if spaces < 2 { gaps += 1 }
                spaces = 2
            } else if c == " " || c == "\u{00A0}" {
                spaces += 1
                if spaces == 2 { gaps += 1 }
            } else {
                spaces = 0
            }
        }
        return gaps >= 2
    }

    /// Whether `s` at `i` starts a heading's words: a letter, not a numeral, and not a word that counts something.
    static func startsHeadingWord(_ s: Scalars, at i: Int) -> Bool {
        guard i < s.count else { return false }
        let c = s[i]
        guard c.properties.isAlphabetic, !isDigit(c), !isChineseDigit(c), c != "十", c != "〇", c != "零",
              !FormalNumerals.isNumeral(c) else { return false }
        return !quantityWords.contains { word in
            i + word.count <= s.count && s[i..<(i + word.count)].elementsEqual(word)
        }
    }

    /// `1.1 标题`, `1.1.1 标题`, `2.3、标题`, `1.2. 标题`: two or three numbers of one or two digits joined by `.` or
    /// `．`, then `、` or a space, then a heading's words. `1.5亿元` (nothing between number and word), `2023.1`
    /// (four digits), `2.0 版` (a zero part), `1.2.3.4` (four parts) and `1.2 万人` (a quantity) are not labels.
    static func parseDecimal(_ s: Scalars) -> HeadingLabel? {
        var path: [Int] = []
        var i = 0
        while true {
            let start = i
            while i < s.count, i - start < 3, isDigit(s[i]) { i += 1 }
            guard (1...2).contains(i - start) else { return nil }
            let value = arabicValue(s[start..<i])
            guard value > 0 else { return nil }
            path.append(value)
            guard i + 1 < s.count, s[i] == "." || s[i] == "．", isDigit(s[i + 1]) else { break }
            guard path.count < 3 else { return nil }
            i += 1
        }
        guard path.count >= 2, i < s.count else { return nil }
        var length = i
        if s[i] == "、" || s[i] == "." || s[i] == "．" {
            length = i + 1
        } else {
            guard s[i] == " " || s[i] == "\u{3000}" || s[i] == "\u{2003}" || s[i] == "\u{00A0}" else { return nil }
        }
        var j = length
        while j < s.count, j - length < 4, s[j] == " " || s[j] == "\u{3000}" || s[j] == "\u{2003}" || s[j] == "\u{00A0}" { j += 1 }
        guard startsHeadingWord(s, at: j) else { return nil }
        return HeadingLabel(level: 0, label: string(s[..<j]), heading: headingText(s[j...]), kind: .decimal,
                            number: path[path.count - 1], path: path)
    }
}
