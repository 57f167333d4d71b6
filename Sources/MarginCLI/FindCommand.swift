import ArgumentParser
import MarginStore

struct FindCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "find",
        abstract: "Find sections and annotations by text and tags, best matches first.",
        discussion: "Examples: margin find 师资   margin find --tag funding 幼儿园   margin find --tag funding")

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .customLong("tag"), help: "Only sections with this tag (repeat for several: all must match).")
    var tags: [String] = []

    @Option(help: "At most this many results.")
    var limit = 20

    @Argument(help: "Text to look for (any length; Chinese works without spaces).")
    var text: String?

    func validate() throws {
        guard text?.isEmpty == false || !tags.isEmpty else {
            throw ValidationError("Give text to find, or at least one --tag.")
        }
        guard limit > 0 else { throw ValidationError("--limit must be at least 1.") }
    }

    func run() async throws {
        let hits = try store.open().find(text: text, tags: tags, limit: limit)
        if output.json { return try JSONOutput.print(hits) }
        guard !hits.isEmpty else { return Console.current.print("No matches.") }
        for hit in hits {
            let what = hit.annotation.map { "note \($0) on " } ?? ""
            Console.current.print("\(what)\(hit.reference)  \(hit.heading)  — \(Formatting.clip(hit.reportTitle, 30))")
            Console.current.print("    " + hit.snippet)
        }
    }
}
