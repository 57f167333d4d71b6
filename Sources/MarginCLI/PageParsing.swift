import Foundation
import ReportParser

/// Reading report files for `margin import`, with the import's rules, and saying in a sentence why a page
/// holds no report.
enum PageParsing {
    /// The reports in one file's bytes, read with `rules`.
    /// - Throws: ``UnparsablePage`` for a page with no report; ``ReportParserError`` for a file that is empty or
    ///   not text.
    static func reports(in data: Data, path: String, rules: FurnitureRules) throws -> [ParsedReport] {
        let fileName = (path as NSString).lastPathComponent
        let decoded = try TextDecoding.decodeWithTitle(data, fileName: fileName)
        let text = decoded.text
        do {
            return ReportParser.titledByPage(
                try ReportParser.parse(text: text, fileName: fileName, rules: rules), pageTitle: decoded.pageTitle)
        } catch let error as ReportParserError where error.kind == .noReportFound {
            throw UnparsablePage(path: path, reading: try ReportParser.readPage(text: text, fileName: fileName, rules: rules))
        }
    }

    /// How a file reads with `rules`: its text decoded, then each line given its role.
    static func reading(of data: Data, path: String, rules: FurnitureRules) throws -> PageReading {
        let fileName = (path as NSString).lastPathComponent
        let decoded = try TextDecoding.decodeWithTitle(data, fileName: fileName)
        var reading = try ReportParser.readPage(text: decoded.text, fileName: fileName, rules: rules)
        reading.reports = ReportParser.titledByPage(reading.reports, pageTitle: decoded.pageTitle)
        return reading
    }
}

/// A page in which no report was found: what it lacks, which rule hid a line that would have started a report,
/// and how to look closer.
struct UnparsablePage: Error, CustomStringConvertible {
    /// The file as named on the command line.
    var path: String
    /// How the page was read.
    var reading: PageReading

    var description: String {
        let name = (path as NSString).lastPathComponent
        var sentence = "\(name) contains no recognisable report: it has no title line naming a kind of report "
            + "(a short line with 总结, 报告, 计划 … and a blank line after it), no report marker (篇一:, 第1篇, 【篇一】, …总结篇一) "
            + "and no numbered headings (一、, （一）, 1、, 第一部分)"
        let dropped = reading.lines.filter { $0.rule != nil }.count
        if dropped > 0 {
            sentence += "; rules dropped \(dropped) of its \(Formatting.count(reading.lines.count, "line"))"
        }
        if let hidden = reading.startsDroppedByRules.first, let rule = hidden.rule {
            sentence += ", among them line \(hidden.number) (“\(Formatting.clip(hidden.text, 30))”), which would start one, "
                + "dropped by the rule “\(Formatting.clip(rule.description, 60))”"
        }
        return sentence + "; see how each line was read with `margin import --dry-run \(path)`, and describe what the page "
            + "uses in a rules file given with `--rules FILE` (a rule “text prefix …” keeps a line as report text)."
    }
}
