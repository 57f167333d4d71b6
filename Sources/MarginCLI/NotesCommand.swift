import ArgumentParser
import MarginStore

struct NotesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notes",
        abstract: "List notes across all reports, newest first, with their report, section, quote and author.",
        discussion: """
            Every option narrows the list; together they must all hold. Deleted notes are left out.

            Lists the newest 50 at a time; --offset and --limit page through the rest. With --json: \
            {"items": [...], "total": N, "offset": N}, each note with its id and reference, its report and section \
            (ids and references), heading, quote, author, ISO 8601 times, placement and text. A note whose quote \
            moved into another section follows it (placement "relocated"): movedFrom and movedFromReference name the \
            section it was written on. An orphaned note whose quote is in several sections lists them in candidates \
            and candidateReferences.

            Examples: margin notes --author 李伟   margin notes --tag 重点 --since 2026-11-01   margin notes --orphaned
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "Only notes first written by this author.")
    var author: String?

    @Option(help: "Only notes on sections carrying this tag (#重点 and 重点 are the same tag; one no section carries is an error, exit 1).")
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
    var limit = Self.defaultLimit

    /// Notes shown when `--limit` is not given.
    static let defaultLimit = 50

    @Option(help: "Skip this many of the newest notes (to see the next ones).")
    var offset = 0

    func validate() throws {
        guard limit > 0 else { throw ValidationError("--limit must be at least 1.") }
        guard offset >= 0 else { throw ValidationError("--offset must be 0 or more.") }
        if let tag {
            do {
                _ = try TagHelp.normalized([tag])
            } catch let error as ValidationError {
                throw ValidationError("--tag: " + error.message)
            }
        }
        if let since, LogCommand.moment(since) == nil {
            throw ValidationError(
                "--since takes a date such as 2026-11-25 or an ISO 8601 time such as 2026-11-25T09:30:00Z, not “\(since)”.")
        }
    }

    func run() throws {
        let filter = NoteFilter(
            author: author, tag: tag, since: since.flatMap(LogCommand.moment), report: report, orphaned: orphaned,
            conflicted: conflicted)
        let page = try store.open().notes(filter, offset: offset, limit: limit)
        if output.json { return try JSONOutput.print(page) }
        let console = Console.current
        guard !page.items.isEmpty else {
            if page.total > 0 {
                return console.print("No notes past the first \(offset); there are \(Formatting.count(page.total, "note")).")
            }
            let filtered = filter != NoteFilter()
            return console.print(filtered ? "No notes match." : "No notes yet; add one with margin annotate SECTION \"text\".")
        }
        for (index, note) in page.items.enumerated() {
            if index > 0 { console.print("") }
            Self.printNote(note, highlight: console.highlights)
        }
        if page.remaining > 0 || page.offset > 0 {
            console.print("")
            console.print(Self.summary(page, limit: limit))
        }
    }

    /// The closing line of a cut listing: which notes these are of how many, and how to see the rest.
    static func summary(_ page: ListingPage<NoteEntry>, limit: Int) -> String {
        let last = page.offset + page.items.count
        let shown = "Notes \(page.offset + 1)–\(last) of \(page.total), newest first"
        guard page.remaining > 0 else { return shown + "." }
        return shown + "; see the next \(min(limit, page.remaining)) with --offset \(last), or more at once with --limit."
    }

    /// “moved from 3f9a/1 一、… to 3f9a/2 二、…” for a note that followed its quote into another section.
    static func movedLine(_ note: NoteEntry) -> String? {
        guard note.movedFrom != nil else { return nil }
        let from = note.movedFromReference.map { reference in
            reference + " " + ((note.movedFromHeading ?? "").isEmpty ? "(preamble)" : note.movedFromHeading!)
        } ?? "a section no longer in the report"
        let to = note.sectionReference.map { "\($0) " + (note.heading.isEmpty ? "(preamble)" : note.heading) } ?? "?"
        return "moved from \(from) to \(to)"
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
        if let moved = movedLine(note) { console.print("  " + moved) }
        if !note.candidateReferences.isEmpty {
            console.print("  its quote is in \(note.candidateReferences.joined(separator: ", ")); place it with "
                + "margin annotate --reanchor \(note.shortID) --section SECTION")
        }
        guard !note.deleted else { return }
        for line in note.text.components(separatedBy: "\n") { console.print("    " + line) }
    }
}
