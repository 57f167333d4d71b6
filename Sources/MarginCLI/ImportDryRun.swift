import ArgumentParser
import Foundation
import ReportParser

/// `margin import --dry-run`: how each file would be read, writing nothing.
///
/// Per file: each report with its title, where the title came from and its outline; then every line that is in
/// no report's text, with its line number, its role and the rule that dropped it, written as in a rules file.
enum ImportDryRun {
    /// Reads every file with `rules` and prints what import would make of it; a file that cannot be read or
    /// holds no report is listed as failed (exit 1), after its dropped lines.
    static func run(files: [String], rules: ImportRules, json: Bool) throws {
        var readings: [FileReading] = []
        var failures: [ImportCommand.FileFailure] = []
        for path in files {
            do {
                let data = try FileContents.read(path)
                let reading = try PageParsing.reading(of: data, path: path, rules: rules.rules)
                let file = FileReading(file: (path as NSString).lastPathComponent, reading: reading)
                readings.append(file)
                if !json { printText(file) }
                if reading.reports.isEmpty { throw UnparsablePage(path: path, reading: reading) }
            } catch {
                failures.append(ImportCommand.FileFailure(file: path, error: "\(error)"))
                Console.current.printError("error: \(error)")
            }
        }
        if json {
            try JSONOutput.print(Document(files: readings, failed: failures, rules: rules.sources))
        } else {
            let used = rules.sources.map { "\($0.source) (\($0.rules))" }.joined(separator: ", ")
            Console.current.print("Nothing written (dry run). Rules: \(used).")
        }
        if !failures.isEmpty { throw ExitCode.failure }
    }

    static func printText(_ file: FileReading) {
        let console = Console.current
        console.print("\(file.file): \(Formatting.count(file.reports.count, "report")), "
            + "\(Formatting.count(file.dropped.count, "dropped line"))")
        for (index, report) in file.reports.enumerated() {
            console.print("  \(index + 1). \(report.title)")
            console.print("     title \(titleOrigin(report)); \(Formatting.count(report.sections, "section"))")
            for entry in report.outline {
                console.print("     " + String(repeating: "  ", count: entry.level) + "\(entry.label) \(entry.heading)")
            }
        }
        if !file.dropped.isEmpty { console.print("  dropped:") }
        for line in file.dropped {
            console.print("    line \(line.line) \(roleWords[line.role] ?? line.role): \(Formatting.clip(line.text, 60))")
            if let rule = line.rule { console.print("      rule: \(rule)") }
        }
    }

    static func titleOrigin(_ report: Report) -> String {
        let line = report.titleLine.map { " (line \($0))" } ?? ""
        return switch TitleSource(rawValue: report.titleSource) {
        case .titleLine: "from its title line\(line)"
        case .reportMarker: "from the collection and the report marker\(line)"
        case .pageTitle: "from the page's own title or the document name it shows"
        case .firstHeading: "from the page's first line\(line)"
        case .fileName, nil: "from the file name"
        }
    }

    /// A role as a person says it.
    static let roleWords: [String: String] = [
        "reportMarker": "report marker", "repeatedTitle": "repeated title", "beforeFirstReport": "before first report",
        "collectionHeader": "collection header", "documentName": "document name",
    ]

    // MARK: - What is printed

    struct Document: Encodable {
        var files: [FileReading]
        var failed: [ImportCommand.FileFailure]
        /// The rules files read, in the order their rules are tried, the standard rules last.
        var rules: [ImportRules.Source]
    }

    struct FileReading: Encodable {
        var file: String
        var reports: [Report]
        var dropped: [DroppedLine]

        init(file: String, reading: PageReading) {
            self.file = file
            let titleLines = reading.titleLineNumbers
            reports = reading.reports.enumerated().map { index, report in
                Report(title: report.title, titleSource: report.titleSource.rawValue, titleLine: titleLines[index],
                       sections: report.sections.count,
                       outline: report.sections.filter { $0.level > 0 }.map {
                           OutlineEntry(level: $0.level, label: $0.label, heading: $0.heading)
                       })
            }
            dropped = reading.droppedLines.map {
                DroppedLine(line: $0.number, role: $0.role.rawValue, rule: $0.rule?.description, text: $0.text,
                            report: $0.report.map { $0 + 1 })
            }
        }
    }

    struct Report: Encodable {
        var title: String
        /// `titleLine`, `reportMarker`, `pageTitle`, `firstHeading` or `fileName`.
        var titleSource: String
        /// The line of the file the title was read from, if it was one.
        var titleLine: Int?
        /// How many sections it has, the text before the first heading included.
        var sections: Int
        var outline: [OutlineEntry]
    }

    struct OutlineEntry: Encodable {
        var level: Int
        var label: String
        var heading: String
    }

    struct DroppedLine: Encodable {
        /// The line's number in the file, from 1.
        var line: Int
        /// `chrome`, `trailer`, `metadata`, `collectionHeader`, `documentName`, `reportMarker`, `repeatedTitle` or
        /// `beforeFirstReport`.
        var role: String
        /// The rule that dropped it, as a line of a rules file; none when the page's structure did.
        var rule: String?
        var text: String
        /// The report (from 1) whose marker or repeated title it is, if any.
        var report: Int?
    }
}
