import ArgumentParser
import MarginStore

struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "log", abstract: "Show the change log, newest first.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "Show at most this many entries.")
    var limit = 20

    func validate() throws {
        guard limit > 0 else { throw ValidationError("--limit must be at least 1.") }
    }

    func run() async throws {
        let entries = try store.open().changeLog(limit: limit)
        if output.json { return try JSONOutput.print(entries) }
        guard !entries.isEmpty else { return Console.current.print("The change log is empty.") }
        for entry in entries {
            let source = entry.source == "local" ? "" : "  (from \(entry.source))"
            Console.current.print(
                "#\(entry.sequence)  \(entry.revision.rawValue.prefix(10))  \(Formatting.time(entry.createdAt))  \(entry.author)  \(entry.summary)\(source)")
        }
    }
}

struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show every revision of a report, an annotation, or a section's tags.",
        discussion: "With --diff, each revision lists what changed since the one before.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    @Flag(help: "Show what changed between consecutive revisions.")
    var diff = false

    @Argument(help: "A report, an annotation, or a section (for its tags).")
    var reference: String

    func run() async throws {
        let entries = try store.open().history(of: reference, diff: diff)
        if output.json { return try JSONOutput.print(entries) }
        guard !entries.isEmpty else { return Console.current.print("No revisions for \(reference).") }
        for entry in entries {
            let revision = entry.revision
            let head = entry.isHead ? "  (current)" : ""
            Console.current.print(
                "\(revision.id.rawValue.prefix(10))  \(Formatting.time(revision.createdAt))  \(revision.author)  \(entry.summary)\(head)")
            if revision.parents.count > 0 {
                Console.current.print("    parents: " + revision.parents.map { String($0.rawValue.prefix(10)) }.joined(separator: ", "))
            }
            for change in entry.changes ?? [] { Console.current.print("    " + change) }
        }
    }
}
