import ArgumentParser
import MarginStore

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Print a report with its tags and annotations, or every note of every report.",
        discussion: """
            margin export REPORT prints the report as Markdown (default) or JSON. margin export --all prints every \
            note of every report as Markdown, JSON (the document margin notes --json prints, without a limit) or \
            CSV (RFC 4180: a header row, then one row per note; a multi-line note stays one quoted field).
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case markdown, json, csv }

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "markdown (default), json, or csv (with --all).")
    var format: Format?

    @Flag(help: "Export every note of every report instead of one report.")
    var all = false

    @Argument(help: "The report to export (none with --all).")
    var report: String?

    /// The format asked for: `--json` is `--format json`.
    var chosenFormat: Format { output.json ? .json : format ?? .markdown }

    func validate() throws {
        if output.json, let format, format != .json {
            throw ValidationError("--json and --format \(format.rawValue) disagree; give one of them.")
        }
        if all {
            if let report {
                throw ValidationError("--all exports every report; leave out “\(report)”, or drop --all to export one report.")
            }
        } else {
            guard report != nil else {
                throw ValidationError("Name the report to export (see margin reports), or give --all for every note.")
            }
            if chosenFormat == .csv {
                throw ValidationError("CSV lists notes: use it with --all, or export one report as markdown or json.")
            }
        }
    }

    func run() async throws {
        let opened = try store.open()
        if all {
            let listing = try opened.notes()
            switch chosenFormat {
            case .markdown: Console.current.print(NotesExport.markdown(listing.items))
            case .json: try JSONOutput.print(listing)
            case .csv:
                // `print` ends what it prints with LF: leave the last row's LF to it, so every row ends in CRLF.
                var csv = NotesExport.csv(listing.items)
                csv.unicodeScalars.removeLast()
                Console.current.print(csv)
            }
            return
        }
        let export = try opened.export(report ?? "")
        switch chosenFormat {
        case .markdown, .csv: Console.current.print(export.markdown())
        case .json: try JSONOutput.print(export)
        }
    }
}
