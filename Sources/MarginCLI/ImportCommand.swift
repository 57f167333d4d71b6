import ArgumentParser
import Foundation
import MarginStore
import ReportParser

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Parse report text files into reports and sections.",
        discussion: """
            Each file is imported in its own transaction: a file that cannot be read or parsed writes nothing, \
            while the other files still import (the exit code is then 1). Re-importing unchanged text writes nothing.
            A report is known by the file's name, its title and which report of that title it is in the file: reports \
            sharing a title in other files are other reports, and importing a changed version of the file revises \
            them. A renamed file or a changed title makes a new report; --as REPORT makes a one-report file the next \
            revision of REPORT instead.
            A report edited since its file was last imported (here or on a peer) keeps those edits: importing the file \
            again writes nothing when the file has no change of its own, and merges the file's changes with the edits \
            when they touch different sections; when both changed the same part nothing is written. --replace writes \
            the file's text as it is instead, dropping those edits (margin history REPORT keeps them).
            Pages are read with the rules of each --rules file, then the store's rules.txt, then the standard rules; \
            the first rule that matches a line decides it. --dry-run shows how each file would be read and, when the store \
            exists, what the import would do there (reports created, revised or left as they are, later edits kept or \
            merged, notes moved), and writes nothing; it exits 1 when the import would fail.
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "Report text files (UTF-8, UTF-16 with BOM, or GB18030) or saved web pages (.html, .htm).")
    var files: [String]

    @Option(name: .long, help: ArgumentHelp(
        "A rules file of page furniture, tried before the store's rules.txt and the standard rules (repeatable).",
        valueName: "file"), completion: .file())
    var rules: [String] = []

    @Flag(name: .long, help: "Show each file's reports, outlines and dropped lines with the rules that dropped them, and what the import would do in the store; write nothing.")
    var dryRun = false

    @Option(name: .customLong("as"), help: ArgumentHelp(
        "Make the one report of the one file the next revision of this report (e.g. after its title changed).",
        valueName: "report"), completion: ReferenceCompletion.reportsAndSections)
    var asReport: String?

    @Flag(name: .long, help: "Write each file's text as it is, dropping edits made since the file was last imported.")
    var replace = false

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("Name at least one report file to import.") }
        if asReport != nil && files.count != 1 {
            throw ValidationError("--as makes one file a revision of one report; name exactly one file with it.")
        }
    }

    func run() async throws {
        let rules = try ImportRules.load(files: rules, storePath: store.path)
        if dryRun {
            return try ImportDryRun.run(files: files, rules: rules, json: output.json, target: dryRunTarget())
        }
        let opened = try store.open()
        if let asReport {
            return try ImportAsReport.run(file: files[0], as: asReport, store: opened, replacing: replace, json: output.json) {
                data, path in
                try PageParsing.reports(in: data, path: path, rules: rules.rules)
            }
        }
        var summaries: [ImportSummary] = []
        var failures: [FileFailure] = []
        for file in files {
            do {
                let data = try FileContents.read(file)
                let parsed = try PageParsing.reports(in: data, path: file, rules: rules.rules)
                let summary = try opened.importReports(
                    parsed, fileName: (file as NSString).lastPathComponent, replacingLaterEdits: replace)
                summaries.append(summary)
                if !output.json {
                    Self.printSummary(summary)
                    Self.printTitleOrigins(of: parsed, file: file)
                }
            } catch {
                failures.append(FileFailure(file: file, error: "\(error)"))
                Console.current.printError("error: \(error)")
            }
        }
        if output.json { try JSONOutput.print(ImportResult(imported: summaries, failed: failures)) }
        if !failures.isEmpty { throw ExitCode.failure }
    }

    /// What a dry run compares the files with: the store when there is one (a store that cannot be opened is an
    /// error, as for the import itself), else nothing, with a word why.
    func dryRunTarget() throws -> ImportDryRun.Target {
        var target = ImportDryRun.Target(replacing: replace, asReport: asReport)
        do {
            target.store = try store.open()
        } catch let error as MarginStoreError {
            guard case .storeNotFound = error.kind else { throw error }
            target.storeMissing = "no store at \(store.path) to compare with (margin init makes one)"
        }
        return target
    }

    /// The file's line, then a line per annotation whose anchor the new text moved, orphaned or restored.
    static func printSummary(_ summary: ImportSummary) {
        let console = Console.current
        console.print(
            "\(summary.file): \(Formatting.count(summary.reports.count, "report")), "
                + "\(Formatting.count(summary.sections, "section")), \(Formatting.count(summary.newRevisions, "new revision"))")
        for report in summary.reports {
            RevisedReportLines.printLaterEdits(of: report, file: summary.file)
            RevisedReportLines.printAnnotationChanges(of: report)
        }
        RevisedReportLines.printEarlierReports(of: summary)
    }

    /// A line for each report whose title came from elsewhere than a title line of the page (its `<title>`, its
    /// first line, the file name), so that a guessed title does not pass unnoticed.
    static func printTitleOrigins(of reports: [ParsedReport], file: String) {
        for report in reports {
            let origin: String
            switch report.titleSource {
            case .titleLine, .reportMarker: continue
            case .pageTitle: origin = "the page's own title or the document name it shows"
            case .firstHeading: origin = "the page's first line"
            case .fileName: origin = "the file name"
            }
            Console.current.print(
                "  title “\(report.title)” taken from \(origin), as the page has no title line; "
                    + "margin import --dry-run \(file) shows how it was read")
        }
    }

    struct FileFailure: Codable { var file: String; var error: String }
    struct ImportResult: Codable { var imported: [ImportSummary]; var failed: [FileFailure] }
}
