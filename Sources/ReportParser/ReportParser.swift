import Foundation

/// Where a report's title came from.
public enum TitleSource: String, Sendable, Equatable, CaseIterable {
    /// A title line of the page (with its marker, if it has one: `篇一:…`, `…总结篇1`).
    case titleLine
    /// A marker on a line of its own (`【篇一】`) with no title after it: the collection's title and the marker.
    case reportMarker
    /// A page without a title line: the document name a preview page shows (`…工作总结.docx`), or a web page's
    /// own title (`<title>…工作总结_某某网</title>`).
    case pageTitle
    /// A page without a title line: its first line, a short unpunctuated line or a numbered heading.
    case firstHeading
    /// A page without a title line or a better source: the file name without its extension.
    case fileName
}

/// One report found in a file: its title and its sections.
public struct ParsedReport: Sendable, Equatable {
    /// The report's title line, trimmed, e.g. "篇一:2017年度教育局工作总结" or "第3篇 县教育局2022年工作总结和2023年工作要点";
    /// for a page without one, the title `titleSource` names.
    public var title: String
    /// Flat, in document order. `sections[0]` is always the level-0 preamble, even if its text is empty.
    public var sections: [ParsedSection]
    /// Where `title` came from.
    public var titleSource: TitleSource

    /// Creates a report.
    public init(title: String, sections: [ParsedSection], titleSource: TitleSource = .titleLine) {
        self.title = title
        self.sections = sections
        self.titleSource = titleSource
    }
}

extension ParsedReport {
    /// A report read from lines: its title, and its sections' labels and headings, hold no control character (see
    /// ``LineText/singleLine(_:)``), as a revision's rules require of them.
    init(named title: String, sections: [ParsedSection], titleSource: TitleSource) {
        let sections = sections.map { section in
            var section = section
            (section.label, section.heading) = (LineText.singleLine(section.label), LineText.singleLine(section.heading))
            return section
        }
        self.init(title: LineText.singleLine(title), sections: sections, titleSource: titleSource)
    }
}

/// A numbered section of a report (or the unnumbered preamble).
public struct ParsedSection: Sendable, Equatable {
    /// 0 preamble; 1 `一、`/`一.`; 2 `（一）`/`(一)`; 3 `1、`/`1.`/`1．`; 4 `（1）`/`(1)`. In a report with parts,
    /// `第一部分`/`第一章` is 1 and `第一节` the next level, and the numbered levels move down by as many.
    public var level: Int
    /// The numbering exactly as written, e.g. "一、", "（一）", "(2)", "3.", "第二部分"; "" for the preamble.
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
        let decoded = try TextDecoding.decodeWithTitle(data, fileName: fileName)
        return titledByPage(try parse(text: decoded.text, fileName: fileName, rules: rules), pageTitle: decoded.pageTitle)
    }

    /// Parses already-decoded text. `fileName` is only used in error messages.
    public static func parse(text: String, fileName: String, rules: FurnitureRules = .standard) throws(ReportParserError) -> [ParsedReport] {
        reports(of: try analyze(text: text, fileName: fileName, rules: rules))
    }

    struct Analysis {
        /// The lines the classifier read: the file's lines, with a flattened document's title split off its text.
        var lines: [String]
        /// For each of `lines`, its 1-based line number in the file.
        var lineNumbers: [Int]
        var classification: LineClassifier.Result
    }

    /// Line-level decisions, exposed to tests so furniture choices can be reviewed.
    static func analyze(text: String, fileName: String, rules: FurnitureRules = .standard) throws(ReportParserError) -> Analysis {
        let analysis = try read(text: text, fileName: fileName, rules: rules)
        if analysis.classification.titles.isEmpty {
            throw ReportParserError(.noReportFound, fileName: fileName)
        }
        return analysis
    }

    /// Gives every line its role; a page without reports is read too (its lines say why it has none).
    static func read(text: String, fileName: String, rules: FurnitureRules) throws(ReportParserError) -> Analysis {
        let normalized = TextDecoding.normalize(text)
        if LineText.isBlank(normalized) {
            throw ReportParserError(.emptyFile, fileName: fileName, detail: "it contains only whitespace")
        }
        let (lines, lineNumbers) = unflattened(LineText.lines(of: normalized))
        let classification = LineClassifier.classify(lines: lines, fileName: fileName, rules: rules)
        return Analysis(lines: lines, lineNumbers: lineNumbers, classification: classification)
    }

    /// The reports of an analysed page: each report's body lines cut into sections.
    static func reports(of analysis: Analysis) -> [ParsedReport] {
        let classification = analysis.classification
        var bodies = [[String]](repeating: [], count: classification.titles.count)
        for (line, role) in zip(analysis.lines, classification.roles) {
            if case .body(let report) = role { bodies[report].append(line) }
        }
        return classification.titles.indices.map { report in
            ParsedReport(named: classification.titles[report], sections: SectionParser.sections(from: bodies[report]),
                         titleSource: classification.titleSources[report])
        }
    }

    /// A document flattened onto one or a few lines (`FlattenedText`) often starts with its title, run into the
    /// text after a space; that title gets its own line (and a blank after it, as a title has).
    /// Returns the lines with the file's 1-based line number of each.
    static func unflattened(_ lines: [String]) -> (lines: [String], numbers: [Int]) {
        let numbers = Array(1..<(lines.count + 1))
        let nonBlank = lines.lazy.filter { !LineText.isBlank($0) }.count
        guard nonBlank <= 6, lines.contains(where: FlattenedText.isFlattened) else { return (lines, numbers) }
        var result: [String] = []
        var resultNumbers: [Int] = []
        for (line, number) in zip(lines, numbers) {
            let text = line.drop(while: \.isWhitespace)
            if FlattenedText.isFlattened(line), let gap = text.firstIndex(where: \.isWhitespace),
               LineClassifier.isTitleLike(String(text[..<gap])) {
                result += [String(text[..<gap]), "", String(text[gap...].drop(while: \.isWhitespace))]
                resultNumbers += [number, number, number]
            } else {
                result.append(line)
                resultNumbers.append(number)
            }
        }
        return (result, resultNumbers)
    }
}
