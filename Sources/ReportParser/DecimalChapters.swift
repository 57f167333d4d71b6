/// The chapter lines of a decimal outline: `1 总体要求` over `1.1 …`, `2 主要任务` over `2.1 …`.
///
/// A number with a short heading after a space is a label only here, where the chapters run 1, 2, 3 … and the first
/// (any chapter but a later one without decimals) stands over its first decimal (`N.1`); elsewhere `3 个班` or
/// `12 月` is text. A `1.` or `1、` heading over
/// `1.1` is such a chapter too. A report with `一、` (or part) headings has those as its top level, and the decimals
/// go under them (`SectionParser`), so it has no chapter lines.
enum DecimalChapters {
    /// The longest heading of a chapter line found by its space alone, in characters.
    static let maxHeadingLength = 30

    /// `labels` (the labels of `lines`) with each chapter line labelled as a decimal of one part (`[2]` for `2 标题`).
    static func labelled(_ lines: [String], labels: [HeadingLabel?]) -> [HeadingLabel?] {
        guard labels.contains(where: { $0?.kind == .decimal }),
              !labels.contains(where: { $0.map { $0.kind <= .chinese } ?? false }) else { return labels }
        var result = labels
        var expected = 1
        for index in lines.indices {
            guard let chapter = chapter(lines[index], label: labels[index]), chapter.number == expected else { continue }
            let next = labels[(index + 1)...].lazy.compactMap { $0 }.first
            let opensItsDecimals = next.map { $0.kind == .decimal && $0.path == [expected, 1] } ?? false
            // A closing chapter without decimals (`3 今后打算`) goes on from the chapters before it; a `2.` label must
            // open its decimals, since a list's `2.` under `1.1` goes on from nothing.
            guard opensItsDecimals || (labels[index] == nil && expected >= 2) else { continue }
            result[index] = chapter
            expected += 1
        }
        return result
    }

    /// The line as a chapter: its own `1.`, `1、` or `1　` label, or else a number, a space and a short heading.
    private static func chapter(_ line: String, label: HeadingLabel?) -> HeadingLabel? {
        if var label {
            guard label.kind == .arabic else { return nil }
            (label.kind, label.level, label.path) = (.decimal, 0, [label.number])
            return label
        }
        let s = Array(line.unicodeScalars.drop(while: HeadingLabel.isSpace).prefix(200))
        var digits = 0
        while digits < s.count, digits < 3, HeadingLabel.isDigit(s[digits]) { digits += 1 }
        guard (1...2).contains(digits), digits < s.count, s[digits] == " " else { return nil }
        var start = digits
        while start < s.count, HeadingLabel.isSpace(s[start]) { start += 1 }
        let rest = s[start...]
        guard HeadingLabel.startsHeadingWord(s, at: start), rest.count <= maxHeadingLength,
              !rest.contains(where: LineText.sentencePunctuation.contains) else { return nil }
        let number = HeadingLabel.arabicValue(s[..<digits])
        guard number > 0 else { return nil }
        return HeadingLabel(level: 0, label: HeadingLabel.string(s[..<start]), heading: HeadingLabel.headingText(rest),
                            kind: .decimal, number: number, path: [number])
    }
}
