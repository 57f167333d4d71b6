/// A range of numbers at a line's start that reads like a label: `三、四年级学生…`, `3、4月份…`, `一、二、三等奖…`.
///
/// A label followed directly by the next number of its own system (Chinese after `三、`, digits after `3、`), maybe
/// more in a run (`一、二、三`), and then a unit that counts grades, months, quarters, prizes, classes, levels,
/// batches, terms or years is the range, not a heading: `三、四季度，…` is the third and fourth quarters. Report
/// prose names such ranges often; a heading never starts with the next heading's number.
enum NumberRange {
    /// Units a range counts, each its scalars; one entry per unit, so a new unit is one more string.
    static let units: [[Unicode.Scalar]] = ["年级", "年級", "学期", "學期", "月份", "月", "季度", "等奖", "等獎", "类", "類",
                                            "级", "級", "批", "期", "届", "屆", "年", "号", "號"].map { Array($0.unicodeScalars) }
    /// After a bare year unit, words that make "三年" a span of years in a heading (`二、三年行动计划`), not a range.
    static let spansOfYears: [[Unicode.Scalar]] = ["来", "來", "行动", "行動", "规划", "規劃", "计划", "計劃", "攻坚", "攻堅"]
        .map { Array($0.unicodeScalars) }

    /// Whether `s` from `start`, right after the label that gives `number`, goes on with `number + 1` (and maybe more,
    /// each the next, separated by `、`) and a unit of `units`.
    static func follows(_ number: Int, in s: [Unicode.Scalar], from start: Int) -> Bool {
        var expected = number + 1
        var i = start
        while let (value, length) = self.number(in: s, at: i), value == expected {
            i += length
            if i < s.count, s[i] == "、" { i += 1; expected += 1; continue }
            return unit(in: s, at: i)
        }
        return false
    }

    /// A Chinese numeral or one or two digits at `i`, with its value and length.
    private static func number(in s: [Unicode.Scalar], at i: Int) -> (Int, Int)? {
        if let n = HeadingLabel.chineseNumeralLength(s, from: i) { return (HeadingLabel.chineseValue(s[i..<(i + n)]), n) }
        var end = i
        while end < s.count, end - i < 3, HeadingLabel.isDigit(s[end]) { end += 1 }
        guard (1...2).contains(end - i) else { return nil }
        return (HeadingLabel.arabicValue(s[i..<end]), end - i)
    }

    private static func unit(in s: [Unicode.Scalar], at i: Int) -> Bool {
        guard let unit = units.first(where: { starts(s, at: i, with: $0) }) else { return false }
        if unit == Array("年".unicodeScalars) { return !spansOfYears.contains { starts(s, at: i + 1, with: $0) } }
        return true
    }

    private static func starts(_ s: [Unicode.Scalar], at i: Int, with word: [Unicode.Scalar]) -> Bool {
        i + word.count <= s.count && Array(s[i..<(i + word.count)]) == word
    }
}
