/// A report as a person edits it (`margin edit`): the title on the first line, then the report's text with its
/// heading lines, one report and nothing else.
///
/// Unlike a scraped page, nothing in an edited text is furniture: no line is dropped as chrome, metadata or a
/// report marker, and no second report starts. The first non-blank line is the title; every later non-blank line
/// is the report's text, cut into sections by its headings exactly as an imported report's text is.
public enum EditedReport {
    /// The text a person edits for a report: the title line, a blank line, then each section's text (heading
    /// lines included), a blank line between sections; an empty preamble is left out.
    public static func text(title: String, sectionTexts: [String]) -> String {
        ([title] + sectionTexts.filter { !LineText.isBlank($0) }).joined(separator: "\n\n") + "\n"
    }

    /// Reads an edited text as exactly one report.
    ///
    /// A text that lost its title line or kept nothing but it is refused rather than read as a report titled by
    /// its first heading, or as a report with no sections.
    /// - Parameter name: what to call the text in an error, e.g. "the edited text" or a file's path.
    /// - Throws: ``ReportParserError`` of kind `emptyFile` when the text has no line that is not blank,
    ///   `titleLineMissing` when its first line is a heading, `noSections` when nothing follows the title line.
    public static func parse(_ text: String, name: String = "the edited text") throws(ReportParserError) -> ParsedReport {
        let lines = LineText.lines(of: TextDecoding.normalize(text)).filter { !LineText.isBlank($0) }
        guard let first = lines.first else {
            throw ReportParserError(.emptyFile, fileName: name, detail: "it has no title line")
        }
        let title = String(LineText.trimmed(first))
        if HeadingLabel.parse(title) != nil {
            throw ReportParserError(.titleLineMissing, fileName: name, detail: "“\(title)”")
        }
        guard lines.count > 1 else { throw ReportParserError(.noSections, fileName: name) }
        return ParsedReport(named: title, sections: SectionParser.sections(from: Array(lines.dropFirst())), titleSource: .titleLine)
    }
}
