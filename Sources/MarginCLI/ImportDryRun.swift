import ArgumentParser
import Foundation
import MarginStore
import ReportParser

/// `margin import --dry-run`: how each file would be read, and what importing it would do to the store, writing
/// nothing.
///
/// Per file: each report with its title, where the title came from and its outline; then every line that is in
/// no report's text, with its line number, its role and the rule that dropped it, written as in a rules file; then,
/// when the store exists, what the import would do there (``MarginStore/previewImport(_:fileName:replacingLaterEdits:)``):
/// which reports it would create, revise or leave as they are, what would become of edits made since the file was
/// last imported, which notes would move, or why it would write nothing.
enum ImportDryRun {
    /// What the import is asked to do besides reading: the store to compare with (nil when there is none), whether
    /// it replaces later edits, and the report it is a revision of (`--as`).
    struct Target {
        var store: MarginStore?
        /// Why there is no store to compare with, said to the person.
        var storeMissing: String?
        var replacing = false
        var asReport: String?
    }

    /// Reads every file with `rules` and prints what import would make of it; a file that cannot be read, holds no
    /// report, or whose import the store would refuse is listed as failed (exit 1), after what was read of it.
    static func run(files: [String], rules: ImportRules, json: Bool, target: Target) throws {
        var readings: [FileReading] = []
        var failures: [ImportCommand.FileFailure] = []
        for path in files {
            do {
                let data = try FileContents.read(path)
                let reading = try PageParsing.reading(of: data, path: path, rules: rules.rules)
                var file = FileReading(file: (path as NSString).lastPathComponent, reading: reading)
                if reading.reports.isEmpty {
                    readings.append(file)
                    if !json { printText(file) }
                    throw UnparsablePage(path: path, reading: reading)
                }
                if let store = target.store {
                    file.store = Self.preview(reading.reports, file: file.file, in: store, target: target)
                }
                readings.append(file)
                if !json { printText(file, storeMissing: target.storeMissing) }
                if let refused = file.store?.refused { throw ImportRefused(message: refused) }
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

    /// What importing `reports` (read from `file`) would do to `store`, or why it would write nothing.
    static func preview(_ reports: [ParsedReport], file: String, in store: MarginStore, target: Target) -> StorePreview {
        do {
            let summary: ImportSummary
            if let asReport = target.asReport {
                let report = try ReportReference.report(asReport, in: store)
                summary = try store.previewImport(reports, fileName: file, as: report, replacingLaterEdits: target.replacing)
            } else {
                summary = try store.previewImport(reports, fileName: file, replacingLaterEdits: target.replacing)
            }
            return StorePreview(path: store.path, wouldImport: summary, refused: nil)
        } catch {
            return StorePreview(path: store.path, wouldImport: nil, refused: "\(error)")
        }
    }

    /// The import the store would refuse, as its error said it.
    struct ImportRefused: Error, CustomStringConvertible {
        var message: String
        var description: String { "the import would write nothing: \(message)" }
    }

    static func printText(_ file: FileReading, storeMissing: String? = nil) {
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
        if let preview = file.store {
            printPreview(preview)
        } else if let storeMissing, !file.reports.isEmpty {
            console.print("  in the store: \(storeMissing)")
        }
    }

    /// What the import would do in the store, a line per report that it would write or whose later edits it would
    /// keep, and a line per note that would move.
    static func printPreview(_ preview: StorePreview) {
        let console = Console.current
        guard let summary = preview.wouldImport else {
            // The reason is printed as the file's error.
            return console.print("  in the store \(preview.path): nothing would be written")
        }
        console.print("  in the store \(preview.path): \(Formatting.count(summary.newRevisions, "new revision")) would be written")
        for report in summary.reports {
            let what = switch (report.outcome, report.laterEdits) {
            case (.created, _): "would be a new report"
            case (.revised, .merged?): "would be revised, the file's changes merged with the edits made since it was last imported"
            case (.revised, _): "would be revised"
            case (.unchanged, .kept?):
                "would be left as it is: edited since the file was last imported, and the file has no change of its own (--replace writes the file's text over the edits)"
            case (.unchanged, _): "would be left as it is (the same text)"
            }
            console.print("    \(report.reference) “\(Formatting.clip(report.title, 30))” \(what)")
            for moved in report.annotations {
                let quote = moved.quote.map { " “\(Formatting.clip($0, 30))”" } ?? ""
                let change = switch moved.change {
                case .reanchored: "would move (\(moved.placement))"
                case .restored: "would be anchored again (\(moved.placement))"
                case .orphaned: "would be orphaned: its quote would no longer be in the text"
                }
                console.print("      annotation \(moved.reference)\(quote) \(change)")
            }
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
        /// What the import would do in the store; absent when there is no store to compare with.
        var store: StorePreview?

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

    /// What importing a file would do in a store.
    struct StorePreview: Encodable {
        /// The store's folder.
        var path: String
        /// What the import would write, as `margin import --json` says it; absent when it would write nothing.
        var wouldImport: ImportSummary?
        /// Why the import would write nothing (a clash with later edits, a report in conflict, a read-only store).
        var refused: String?
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
