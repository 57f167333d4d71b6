import Foundation

/// One report found in a file: its title line and its sections.
public struct ParsedReport: Sendable, Equatable {
    /// The report's title line, trimmed, e.g. "篇一:2017年度教育局工作总结" or "第3篇 县教育局2022年工作总结和2023年工作要点".
    public var title: String
    /// Flat, in document order. `sections[0]` is always the level-0 preamble, even if its text is empty.
    public var sections: [ParsedSection]

    /// Creates a report.
    public init(title: String, sections: [ParsedSection]) {
        self.title = title
        self.sections = sections
    }
}

/// A numbered section of a report (or the unnumbered preamble).
public struct ParsedSection: Sendable, Equatable {
    /// 0 preamble; 1 `一、`; 2 `（一）`/`(一)`; 3 `1、`/`1.`/`1．`; 4 `（1）`/`(1)`.
    public var level: Int
    /// The numbering exactly as written, e.g. "一、", "（一）", "(2)", "3."; "" for the preamble.
    public var label: String
    /// The heading text after the label, up to the first sentence break (at most 60 characters); "" for the preamble.
    public var heading: String
    /// The section's own non-blank lines (heading line included, verbatim), joined with "\n".
    public var text: String
    /// Index of the nearest preceding section with a lower level (0 when there is none); nil only for the preamble.
    public var parentIndex: Int?

    /// Creates a section.
    public init(level: Int, label: String, heading: String, text: String, parentIndex: Int?) {
        self.level = level
        self.label = label
        self.heading = heading
        self.text = text
        self.parentIndex = parentIndex
    }
}

/// Turns scraped report text files into reports and sections.
public enum ReportParser {
    /// Decodes and parses one file's bytes. `fileName` is only used in error messages.
    public static func parse(data: Data, fileName: String, rules: FurnitureRules = .standard) throws(ReportParserError) -> [ParsedReport] {
        try parse(text: TextDecoding.decode(data, fileName: fileName), fileName: fileName, rules: rules)
    }

    /// Parses already-decoded text. `fileName` is only used in error messages.
    public static func parse(text: String, fileName: String, rules: FurnitureRules = .standard) throws(ReportParserError) -> [ParsedReport] {
        let analysis = try analyze(text: text, fileName: fileName, rules: rules)
        var bodies = [[String]](repeating: [], count: analysis.split.titles.count)
        for (line, role) in zip(analysis.lines, analysis.split.roles) {
            if case .body(let report) = role { bodies[report].append(line) }
        }
        return zip(analysis.split.titles, bodies).map { title, body in
            ParsedReport(title: title, sections: SectionParser.sections(from: body))
        }
    }

    struct Analysis {
        var lines: [String]
        var split: ReportSplitter.Result
    }

    /// Line-level decisions, exposed to tests so furniture choices can be reviewed.
    static func analyze(text: String, fileName: String, rules: FurnitureRules = .standard) throws(ReportParserError) -> Analysis {
        let normalized = TextDecoding.normalize(text)
        if LineText.isBlank(normalized) {
            throw ReportParserError(.emptyFile, fileName: fileName, detail: "it contains only whitespace")
        }
        let lines = LineText.lines(of: normalized)
        let split = ReportSplitter.split(lines: lines, rules: rules)
        if split.titles.isEmpty {
            throw ReportParserError(.noReportFound, fileName: fileName)
        }
        return Analysis(lines: lines, split: split)
    }
}
