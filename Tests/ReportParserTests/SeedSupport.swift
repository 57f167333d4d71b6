import Foundation
import Testing
@testable import ReportParser

/// Locates seeds and fixtures relative to this file, and renders the golden outlines.
enum Seeds {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let packageRoot = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()
    static let seedsDirectory = packageRoot.appendingPathComponent("seeds")
    static let fixturesDirectory = testsDirectory.appendingPathComponent("Fixtures")

    /// Seed file names sorted, e.g. "000_0810e58871bb8528.txt".
    static let fileNames: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: seedsDirectory.path)) ?? []
        return names.filter { $0.hasSuffix(".txt") }.sorted()
    }()

    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: seedsDirectory.appendingPathComponent(name))
    }

    static func text(_ name: String) throws -> String {
        String(decoding: try data(name), as: UTF8.self)
    }

    /// "000_0810e58871bb8528.txt" → "000".
    static func number(_ name: String) -> String { String(name.prefix(3)) }

    static var updatingGoldens: Bool { ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" }

    /// Compares `actual` to the checked-in fixture, or rewrites it when UPDATE_GOLDEN=1.
    static func checkGolden(_ actual: String, fixture: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = fixturesDirectory.appendingPathComponent(fixture)
        if updatingGoldens {
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        if expected != actual {
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let firstDiff = (0..<min(e.count, a.count)).first(where: { e[$0] != a[$0] }) ?? min(e.count, a.count)
            let want = firstDiff < e.count ? String(e[firstDiff]) : "<end>"
            let got = firstDiff < a.count ? String(a[firstDiff]) : "<end>"
            Issue.record("\(fixture) differs at line \(firstDiff + 1):\n  expected: \(want)\n  actual:   \(got)\n(run with UPDATE_GOLDEN=1 to rewrite, then review)",
                         sourceLocation: sourceLocation)
        }
    }

    /// Per report: `# title`, then one line per section indented by level with label, heading and text line count.
    static func outline(_ reports: [ParsedReport]) -> String {
        var out = "reports: \(reports.count)\n"
        for report in reports {
            out += "\n# \(report.title)\n"
            for section in report.sections {
                let lines = section.text.isEmpty ? 0 : section.text.split(separator: "\n", omittingEmptySubsequences: false).count
                if section.level == 0 {
                    out += "(preamble) [\(lines)]\n"
                } else {
                    let indent = String(repeating: "  ", count: section.level - 1)
                    // An unnumbered heading (`前言`, `结语`) has no label.
                    let label = section.label.isEmpty ? "" : section.label + " "
                    out += "\(indent)\(label)\(section.heading) [\(lines)]\n"
                }
            }
        }
        return out
    }

    /// Every non-blank line that is not report text, with why: `L<n> <role>: <text>`. The role, not the
    /// rule that gave it: the rules table is data that changes, and what a person checks here is
    /// which lines leave the reports and as what.
    static func dropped(_ analysis: ReportParser.Analysis) -> String {
        var out = ""
        for (index, role) in analysis.classification.roles.enumerated() {
            let kind: String
            switch role {
            case .blank, .body: continue
            case .furniture: kind = "furniture"
            case .collectionHeader: kind = "collection-header"
            case .metadata: kind = "metadata"
            case .reportMarker: kind = "report-marker"
            case .beforeFirstReport: kind = "before-first-report"
            case .title: kind = "title"
            case .repeatedTitle: kind = "repeated-title"
            }
            out += "L\(index + 1) \(kind): \(analysis.lines[index].prefix(60))\n"
        }
        return out
    }

    /// Line numbers (1-based) listed in a `NNN.dropped.txt` fixture.
    static func droppedLineNumbers(fixture: String) throws -> Set<Int> {
        let text = try String(contentsOf: fixturesDirectory.appendingPathComponent(fixture), encoding: .utf8)
        return Set(text.split(separator: "\n").compactMap { line -> Int? in
            guard line.hasPrefix("L"), let space = line.firstIndex(of: " ") else { return nil }
            return Int(line[line.index(after: line.startIndex)..<space])
        })
    }
}

/// A suite that reads small texts written in the test, as the parser reads a file (named `t.txt`).
protocol ParsesSmallText {}

extension ParsesSmallText {
    static func parse(_ text: String) throws -> [ParsedReport] {
        try ReportParser.parse(text: text, fileName: "t.txt")
    }
}
