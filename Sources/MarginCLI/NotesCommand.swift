import ArgumentParser
import MarginStore

struct NotesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notes",
        abstract: "List notes across all reports, newest first, with their report, section, quote and author.",
        discussion: """
            Every option narrows the list; together they must all hold. Deleted notes are left out.

            Examples: margin notes --author 李伟   margin notes --tag 重点 --since 2026-11-01   margin notes --orphaned
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "Only notes first written by this author.")
    var author: String?

    @Option(help: "Only notes on sections carrying this tag (#重点 and 重点 are the same tag).")
    var tag: String?

    @Option(help: ArgumentHelp(
        "Only notes written since then: a date (2026-11-25, from local midnight) or an ISO 8601 time (2026-11-25T09:30:00Z).",
        valueName: "date"))
    var since: String?

    @Option(help: "Only notes on this report (3f9a).")
    var report: String?

    @Flag(help: "Only notes whose quote, or section, is no longer in the report's text.")
    var orphaned = false

    @Flag(help: "Only notes with unresolved concurrent edits (see margin conflicts).")
    var conflicted = false

    @Option(help: "Show at most this many notes (the newest).")
    var limit = 50

    func validate() throws {
        guard limit > 0 else { throw ValidationError("--limit must be at least 1.") }
        if let since, LogCommand.moment(since) == nil {
            throw ValidationError(
                "--since takes a date such as 2026-11-25 or an ISO 8601 time such as 2026-11-25T09:30:00Z, not “\(since)”.")
        }
    }

    func run() async throws {
        let filter = NoteFilter(
            author: author, tag: tag, since: since.flatMap(LogCommand.moment), report: report, orphaned: orphaned,
            conflicted: conflicted, limit: limit)
        let listing = try store.open().notes(filter)
        if output.json { return try JSONOutput.print(listing) }
        let console = Console.current
        guard !listing.notes.isEmpty else {
            let filtered = filter != NoteFilter(limit: limit)
            return console.print(filtered ? "No notes match." : "No notes yet; add one with margin annotate SECTION \"text\".")
        }
        for (index, note) in listing.notes.enumerated() {
            if index > 0 { console.print("") }
            Self.printNote(note, highlight: console.highlights)
        }
        if listing.total > listing.notes.count {
            console.print("")
            console.print(
                "Showing the newest \(listing.notes.count) of \(Formatting.count(listing.total, "note")); "
                    + "--limit \(listing.total) shows them all.")
        }
    }

    static func printNote(_ note: NoteEntry, highlight: Bool) {
        let console = Console.current
        var marks: [String] = []
        if note.placement == "orphaned" { marks.append("⚠ orphaned") }
        if note.conflicted { marks.append(note.deleted ? "⚠ in conflict (deleted on the side shown)" : "⚠ in conflict") }
        let marked = marks.isEmpty ? "" : "  " + marks.joined(separator: ", ")
        console.print("\(note.shortID)  \(note.author), \(Formatting.time(note.createdAt.milliseconds))\(marked)")
        let place = note.sectionReference.map { "\($0)  " + (note.heading.isEmpty ? "(preamble)" : note.heading) }
            ?? "(section no longer in the report)"
        console.print("  " + place + "  — " + Formatting.clip(note.reportTitle ?? "(report not yet received)", 40))
        if let quote = note.quote {
            let shown = highlight ? Formatting.highlight(quote) : "“\(quote)”"
            console.print("  " + (note.placement == "orphaned" ? "was on " : "on ") + shown)
        }
        guard !note.deleted else { return }
        for line in note.text.components(separatedBy: "\n") { console.print("    " + line) }
    }
}
