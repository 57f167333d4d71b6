import Foundation
import HTMLText
import ReportParser
import Testing

/// The saved pages under `Fixtures/`, their plain-text twins and golden outlines.
///
/// Every page has `NAME.html`, `NAME.txt` (the text a person reads on the page, typed out by hand) and
/// `NAME.outline.txt` (the outline a person reads, written by reading the page, never from the parser's output).
enum PageFixtures {
    static let directory: URL = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!

    /// The page names, sorted: "br-indent", "chrome-article", …
    static let names: [String] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".html") }.map { String($0.dropLast(5)) }.sorted()
    }()

    static func data(_ file: String) throws -> Data {
        try Data(contentsOf: directory.appendingPathComponent(file))
    }

    static func page(_ name: String) throws -> Data { try data("\(name).html") }
    static func twin(_ name: String) throws -> Data { try data("\(name).txt") }

    static func golden(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent("\(name).outline.txt"), encoding: .utf8)
    }

    /// Per report: `# title (source)`, then one line per section indented by level with label, heading and its
    /// number of lines.
    static func outline(_ reports: [ParsedReport]) -> String {
        var out = "reports: \(reports.count)\n"
        for report in reports {
            out += "\n# \(report.title) (\(report.titleSource.rawValue))\n"
            for section in report.sections {
                let lines = section.text.isEmpty ? 0 : section.text.split(separator: "\n").count
                if section.level == 0 {
                    out += "(preamble) [\(lines)]\n"
                } else {
                    out += String(repeating: "  ", count: section.level - 1) + "\(section.label) \(section.heading) [\(lines)]\n"
                }
            }
        }
        return out
    }

    /// The sections' text with each line trimmed: what a reader compares, whatever the indentation.
    static func trimmedTexts(_ reports: [ParsedReport]) -> [[String]] {
        reports.map { report in
            report.sections.map { section in
                section.text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "\n")
            }
        }
    }
}

/// A suite that reads small page bodies written in the test, as the HTML reader reads a saved page.
protocol ReadsPageBodies {}

extension ReadsPageBodies {
    func text(_ body: String) throws -> String { try HTMLText.extract(html: "<html><body>\(body)</body></html>").text }
}
