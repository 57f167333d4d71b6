import ArgumentParser
import MarginStore

struct ReportsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reports", abstract: "List reports with their section, annotation and tag counts.",
        discussion: """
            Lists reports sorted by title (numbers by value), \(defaultLimit) at a time; --offset and --limit page \
            through the rest, --all lists every one; --removed lists the removed reports instead (`margin remove`). \
            With --json: {"items": [...], "total": N, "offset": N}.
            """)

    /// Reports listed when neither --limit nor --all is given.
    static let defaultLimit = 50

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "At most this many reports (default: \(defaultLimit)).")
    var limit: Int?

    @Option(help: "Skip this many reports first (to see the next page).")
    var offset = 0

    @Flag(help: "List every report.")
    var all = false

    @Flag(help: "List the removed reports instead.")
    var removed = false

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1.") }
        guard offset >= 0 else { throw ValidationError("--offset must be 0 or more.") }
        guard !(all && limit != nil) else { throw ValidationError("Give --all or --limit, not both.") }
    }

    func run() throws {
        let opened = try store.open()
        let page = try opened.reports(
            offset: offset, limit: all ? nil : limit ?? Self.defaultLimit, removed: removed)
        if output.json { return try JSONOutput.print(page) }
        guard page.total > 0 else {
            if removed { return Console.current.print("No removed reports.") }
            let removedCount = try opened.reports(offset: 0, limit: 0, removed: true).total
            return Console.current.print(removedCount == 0
                ? "No reports yet. Import some with: margin import FILE..."
                : "No reports; \(removedCount) removed (margin reports --removed lists \(removedCount == 1 ? "it" : "them")).")
        }
        guard !page.items.isEmpty else {
            return Console.current.print("No reports past the first \(offset); there are \(Self.reports(page.total)).")
        }
        let idWidth = max(2, page.items.map(\.shortID.count).max() ?? 4)
        Console.current.print(Formatting.pad("ID", idWidth) + "  SECT  NOTES  TAGS  TITLE")
        for report in page.items {
            let conflicts = report.conflicts > 0 ? "  (\(report.conflicts) in conflict)" : ""
            Console.current.print(
                Formatting.pad(report.shortID, idWidth) + "  " + column(report.sections, 4) + "  "
                    + column(report.annotations, 5) + "  " + column(report.tags, 4) + "  " + report.title + conflicts)
        }
        if page.remaining > 0 {
            let last = page.offset + page.items.count
            Console.current.print(
                "… \(Self.reports(page.remaining, more: true)) (\(page.total) in all); see the next ones with "
                    + "--offset \(last), or every one with --all.")
        }
    }

    private static func reports(_ count: Int, more: Bool = false) -> String {
        Formatting.count(count, more ? "more report" : "report")
    }

    private func column(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
