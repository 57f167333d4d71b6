/// Section numbers set as badges, as WeChat articles set them: a number alone on its line (`01`, `02`, `PART 03`), the
/// heading on the line below.
///
///     01
///     学位供给持续扩大
///     全年新建学校7所……
///
/// Read line by line, the number was a line of text and the report had no sections. A badge counts only in a run
/// numbered from 1 (`01`, `02`, …), each over a short unpunctuated line without a label of its own, and only in a report
/// with no numbered headings at the top level (`一、`, `第一部分`), which would be its outline instead. The badge's
/// line and its heading's become one line of the section's text, so the text keeps both as they were.
enum BadgeNumbers {
    /// The longest heading under a badge, in characters.
    static let maxHeadingLength = 30

    /// `lines` with each badge joined to its heading (`01\n学位供给持续扩大`) and the labels of the result; nil when the
    /// lines hold no run of at least two badges, or already have top-level headings.
    static func joined(_ lines: [String], labels: [HeadingLabel?]) -> (lines: [String], labels: [HeadingLabel?])? {
        guard !labels.contains(where: { $0.map { $0.kind <= .chinese } ?? false }) else { return nil }
        var badges: [Int: HeadingLabel] = [:]
        var index = 0
        while index + 1 < lines.count {
            if let (badge, number) = badge(lines[index]), number == badges.count + 1,
               let heading = heading(lines[index + 1]), labels[index + 1] == nil {
                badges[index] = HeadingLabel(level: 1, label: badge, heading: heading, kind: .chinese, number: number)
                index += 2
            } else {
                index += 1
            }
        }
        guard badges.count >= 2 else { return nil }
        var joinedLines: [String] = []
        var joinedLabels: [HeadingLabel?] = []
        index = 0
        while index < lines.count {
            if let label = badges[index] {
                joinedLines.append(lines[index] + "\n" + lines[index + 1])
                joinedLabels.append(label)
                index += 2
            } else {
                joinedLines.append(lines[index])
                joinedLabels.append(labels[index])
                index += 1
            }
        }
        return (joinedLines, joinedLabels)
    }

    /// `01`, `０２`, `PART 03`, `Part.04`: the badge as written and its number.
    private static func badge(_ line: String) -> (String, Int)? {
        let text = LineText.trimmed(line)
        guard text.utf8.count <= 12 else { return nil }
        var digits = Substring(text)
        if let part = ["PART", "Part", "part"].first(where: { digits.hasPrefix($0) }) {
            digits = digits.dropFirst(part.count).drop { $0 == " " || $0 == "." || $0 == "\u{3000}" }
        } else {
            // A bare number is a badge only zero-padded (`01`): a `1` alone may be a page number.
            guard digits.count == 2 else { return nil }
        }
        let scalars = Array(digits.unicodeScalars)
        guard (1...2).contains(scalars.count), scalars.allSatisfy(HeadingLabel.isDigit) else { return nil }
        let number = HeadingLabel.arabicValue(scalars[...])
        return number > 0 ? (String(text), number) : nil
    }

    private static func heading(_ line: String) -> String? {
        let text = LineText.trimmed(line)
        guard (2...maxHeadingLength).contains(text.count),
              !text.unicodeScalars.contains(where: LineText.sentencePunctuation.contains) else { return nil }
        return String(text)
    }
}
