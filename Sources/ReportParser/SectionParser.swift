/// Groups a report's body lines into a flat, ordered list of sections.
enum SectionParser {
    /// `lines` are the report's body lines (no blanks, furniture or title).
    static func sections(from lines: [String]) -> [ParsedSection] {
        var sections = [ParsedSection(level: 0, label: "", heading: "", text: "", parentIndex: nil)]
        var texts: [[String]] = [[]]
        for line in lines {
            if let label = HeadingLabel.parse(line) {
                let parent = sections.lastIndex(where: { $0.level < label.level }) ?? 0
                sections.append(ParsedSection(level: label.level, label: label.label,
                                              heading: label.heading, text: "", parentIndex: parent))
                texts.append([line])
            } else {
                texts[texts.count - 1].append(line)
            }
        }
        for index in sections.indices {
            sections[index].text = texts[index].joined(separator: "\n")
        }
        return sections
    }
}
