/// Label forms of pages converted from Word documents: its enclosed numbers (`⑴`, `①`), Roman numerals (`Ⅰ、`) and a
/// number closed by a parenthesis only (`1）`, `1)`). Each stands alone before its heading's words, so a word must
/// follow: `①号楼`, `⑵栋`, `3）个班级` and a lone `③` are not labels.
extension HeadingLabel {
    /// Marks that may follow an enclosed number or a Roman numeral (`①、`, `Ⅰ.`); they belong to the label.
    private static let enclosedMarks: Set<Unicode.Scalar> = ["、", ".", "．"]

    /// Words that, right after an enclosed number or a `1）`, make it a count or a name (`3）个班级`, `①号楼`, `②栋`,
    /// `⑵年级`) rather than a label. Shorter than `quantityWords`, whose `人`, `日`, `周`, `分` start headings here
    /// (`①人才引进`, `②周末托管`) that the run from 1 already tells from prose.
    static let countingWords: [[Unicode.Scalar]] = NumberRange.units + ["个", "個", "名", "所", "项", "項", "次", "元",
        "楼", "樓", "栋", "棟", "幢", "%", "％"].map { Array($0.unicodeScalars) }

    /// `⑴加强领导`, `① 集体备课`, `②、作业检查`, `Ⅰ、工作回顾`, `Ⅱ. 主要成绩`: one enclosed or Roman character, an
    /// optional mark (`、`, `.`, `．`), then a heading's words after at most four spaces or a tab. A Roman numeral needs
    /// the mark or a space: `Ⅱ型`, `Ⅲ级` are words.
    static func parseEnclosed(_ s: Scalars) -> HeadingLabel? {
        guard let first = s.first, let (kind, number) = EnclosedNumbers.label(first) else { return nil }
        var length = 1
        if length < s.count, enclosedMarks.contains(s[length]) {
            length += 1
        } else if kind == .roman, !(length < s.count && isSpace(s[length])) {
            return nil
        }
        guard startsWordAfterLabel(s, at: wordsStart(s, from: length)) else { return nil }
        return HeadingLabel(level: level(of: kind), label: string(s[..<length]), heading: headingText(s[length...]),
                            kind: kind, number: number)
    }

    /// Whether the parenthesis at `close`, after a number at a line's start, closes a label (`1）加强领导`, `2) 作业`):
    /// a heading's words follow, after at most four spaces or a tab. `1）` alone, `3）个`, `1) 2)` are not labels.
    static func closesALabel(_ s: Scalars, at close: Int) -> Bool {
        isCloseParen(s[close]) && startsWordAfterLabel(s, at: wordsStart(s, from: close + 1))
    }

    private static let gapsAfterLabel: Set<Unicode.Scalar> = [" ", "\t", "\u{3000}", "\u{2003}", "\u{00A0}"]

    /// Where the words start after at most four spaces (plain, ideographic, em or no-break) or a tab, which Word puts
    /// between a list's number and its text, from `start`.
    private static func wordsStart(_ s: Scalars, from start: Int) -> Int {
        var i = start
        while i < s.count, i - start < 4, gapsAfterLabel.contains(s[i]) { i += 1 }
        return i
    }

    /// Whether `s` at `i` starts a heading's words: a letter that is no digit, no enclosed number and no counting
    /// word. A Chinese numeral may start one (`⑶ 二次备课`, `① 三年行动计划`).
    private static func startsWordAfterLabel(_ s: Scalars, at i: Int) -> Bool {
        guard i < s.count else { return false }
        let c = s[i]
        guard c.properties.isAlphabetic, !isDigit(c), EnclosedNumbers.label(c) == nil else { return false }
        return !countingWords.contains { word in i + word.count <= s.count && s[i..<(i + word.count)].elementsEqual(word) }
    }
}
