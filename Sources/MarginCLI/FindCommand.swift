import ArgumentParser
import MarginStore

struct FindCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "find",
        abstract: "Find sections and annotations by text and tags, best matches first.",
        discussion: """
            Prints the hits and how many there are in all. On a terminal the match is shown in reverse video, \
            elsewhere between [ and ]. A query found in more than 5,000 sections, or in more than 5,000 notes, \
            cannot be ranked usefully there: those hits come after the ranked ones, sections in report order, \
            notes in a fixed order every peer shares (notes first when neither is ranked). With --json: {"items": [...], \
            "total": N, "offset": N}.
            Examples: margin find 师资   margin find --tag funding 幼儿园   margin find 师 --offset 20
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .customLong("tag"), help: "Only sections with this tag (repeat for several: all must match).")
    var tags: [String] = []

    @Option(help: "At most this many results.")
    var limit = Self.defaultLimit

    /// Results shown when `--limit` is not given.
    static let defaultLimit = 20

    @Option(help: "Skip this many results first (to see the next page).")
    var offset = 0

    @Argument(help: "Text to look for (any length; Chinese works without spaces).")
    var text: String?

    func validate() throws {
        guard text?.isEmpty == false || !tags.isEmpty else {
            throw ValidationError("Give text to find, or at least one --tag.")
        }
        guard limit > 0 else { throw ValidationError("--limit must be at least 1.") }
        guard offset >= 0 else { throw ValidationError("--offset must be 0 or more.") }
        // A tag that no section could carry is a mistake in the command, as it is for `margin tag`.
        _ = try TagHelp.normalized(tags)
    }

    func run() throws {
        let page = try store.open().search(text: text, tags: tags, offset: offset, limit: limit)
        if output.json { return try JSONOutput.print(page) }
        guard !page.items.isEmpty else {
            return Console.current.print(
                page.total == 0 ? "No matches." : "No matches past the first \(offset); there are \(Self.matches(page.total)).")
        }
        let highlights = Console.current.highlights
        for hit in page.items {
            let what = hit.annotation.map { "note \($0) on " } ?? ""
            Console.current.print("\(what)\(hit.reference)  \(hit.heading)  — \(Formatting.clip(hit.reportTitle, 30))")
            let snippet = highlights ? hit.snippet.marked("\u{1B}[7m", "\u{1B}[0m") : hit.snippet.marked("[", "]")
            Console.current.print("    " + snippet)
        }
        Console.current.print(Self.summary(page, limit: limit))
    }

    /// The closing line: how many hits there are, and how to see the rest.
    static func summary(_ page: ListingPage<SearchHit>, limit: Int) -> String {
        let first = page.offset + 1
        let last = page.offset + page.items.count
        guard page.remaining > 0 || page.offset > 0 else { return "\(matches(page.total))." }
        let shown = "\(first)–\(last) of \(matches(page.total))"
        guard page.remaining > 0 else { return shown + "." }
        return shown + "; see the next \(min(limit, page.remaining)) with --offset \(last), or more at once with --limit."
    }

    private static func matches(_ count: Int) -> String { Formatting.count(count, "match", "matches") }
}
