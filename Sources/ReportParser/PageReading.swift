import Foundation

/// How the parser read one page: the reports it found and what it made of every non-blank line.
///
/// `ReportParser.readPage(text:fileName:rules:)` returns one; it is what `margin import --dry-run` prints.
/// Unlike `parse`, reading a page that holds no report is not an error: `reports` is then empty and
/// `lines` show why (every line dropped, or read as text before a first report that never comes).
public struct PageReading: Sendable, Equatable {
    /// The reports, exactly as `ReportParser.parse` returns them.
    public var reports: [ParsedReport]
    /// Every non-blank line, in order.
    public var lines: [LineReading]

    /// The lines that are in no report's text, except title lines (each report names its own).
    public var droppedLines: [LineReading] { lines.filter { $0.role != .body && $0.role != .title } }

    /// The line each report's title was read from, if it has one (`TitleSource.titleLine`, and the first
    /// line of an untitled page); indexed like `reports`.
    public var titleLineNumbers: [Int?] {
        reports.indices.map { report in lines.first { $0.role == .title && $0.report == report }?.number }
    }

    /// Lines a rule dropped that would otherwise read as a title line naming a kind of report, or as a
    /// numbered heading: on a page without reports, what a `text` rule could keep.
    public var startsDroppedByRules: [LineReading] { lines.filter { $0.rule != nil && $0.readsAsReportStart } }
}

/// What the parser made of one line of a page.
public struct LineReading: Sendable, Equatable {
    /// The part a line plays on the page.
    public enum Role: String, Sendable, CaseIterable {
        /// Text of a report (headings included).
        case body
        /// A report's title line.
        case title
        /// A marker on a line of its own that starts a report (`【篇一】`).
        case reportMarker
        /// A copy of the report's title used as a running header.
        case repeatedTitle
        /// Text before the first report: the page's title, the site's introduction.
        case beforeFirstReport
        /// Site chrome a rule dropped.
        case chrome
        /// A related-article list at the end of a report: the line a `trailer` rule matched and every line
        /// after it up to the next report marker.
        case trailer
        /// Article metadata right after a title (time, source, author, counters …).
        case metadata
        /// The header of a page that collects several reports (`…(通用3篇)`).
        case collectionHeader
        /// The name of the document a preview page shows (`…工作总结.docx`).
        case documentName
    }

    /// The line's number in the file, from 1.
    public var number: Int
    /// The line as it is in the file, trailing whitespace removed.
    public var text: String
    /// What the line is.
    public var role: Role
    /// The index in `PageReading.reports` of the report the line belongs to, if any.
    public var report: Int?
    /// The rule that gave the line its role, if a rule did (for `trailer` lines after the first: the trailer
    /// rule that started the list).
    public var rule: FurnitureRule?
    /// The line reads as a title line naming a kind of report (short, unpunctuated, 总结/报告/计划 …) or as a
    /// numbered heading (`一、`, `（一）`, `第一部分` …).
    public var readsAsReportStart: Bool
}

extension ReportParser {
    /// Reads a page as `parse(text:fileName:rules:)` does and says what it made of each line.
    ///
    /// - Throws: ``ReportParserError`` only when the text is empty; a page without reports reads as one.
    public static func readPage(text: String, fileName: String, rules: FurnitureRules = .standard) throws(ReportParserError) -> PageReading {
        let analysis = try read(text: text, fileName: fileName, rules: rules)
        let byText = Dictionary(rules.rules.map { ($0.description, $0) }, uniquingKeysWith: { first, _ in first })
        var lines: [LineReading] = []
        var trailer: FurnitureRule?
        for (index, role) in analysis.classification.roles.enumerated() {
            let text = analysis.lines[index]
            var reading = LineReading(
                number: analysis.lineNumbers[index], text: text, role: .body, report: nil, rule: nil,
                readsAsReportStart: LineClassifier.isTitleLike(text) || HeadingLabel.parse(text) != nil)
            switch role {
            case .blank: continue
            case .body(let report): reading.report = report
            case .title(let report): reading.role = .title; reading.report = report
            case .reportMarker(let report): reading.role = .reportMarker; reading.report = report
            case .repeatedTitle(let report): reading.role = .repeatedTitle; reading.report = report
            case .beforeFirstReport: reading.role = .beforeFirstReport
            case .collectionHeader(let rule): reading.role = .collectionHeader; reading.rule = byText[rule]
            case .metadata(let rule): reading.role = .metadata; reading.rule = byText[rule]
            case .furniture(let description):
                if let rule = byText[description] {
                    reading.rule = rule
                    if rule.kind == .trailerMarker { trailer = rule }
                    reading.role = rule.kind == .trailerMarker ? .trailer : rule.role == .documentName ? .documentName : .chrome
                } else {
                    // Not a rule of the set: a line inside a related-article list.
                    reading.role = .trailer
                    reading.rule = trailer
                }
            }
            lines.append(reading)
        }
        return PageReading(reports: reports(of: analysis), lines: lines)
    }
}
