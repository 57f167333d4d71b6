import ArgumentParser
import MarginStore

/// `margin remove REPORT` and `margin remove --restore REPORT`.
struct RemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "Remove a report (a wrong import, a duplicate), or bring one back.",
        discussion: """
            Removing writes a new revision of the report that syncs like any other: the report leaves `margin \
            reports` and `margin find` on every peer, and nothing is deleted. Its text, history and notes read \
            on (`margin show`, `margin history`, `margin notes`); `margin reports --removed` lists removed reports; \
            `margin remove --restore REPORT`, or importing its file again, brings it back. If another peer edits \
            the report meanwhile, the edit wins and the report stays.
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    @Flag(help: "Bring back a removed report instead.")
    var restore = false

    @Argument(help: "The report, e.g. 3f9a.", completion: ReferenceCompletion.reportsAndSections)
    var report: String

    func run() throws {
        let opened = try store.open()
        let id = try ReportReference.report(report, in: opened)
        let result = restore ? try opened.restoreReport(id) : try opened.removeReport(id)
        if output.json { return try JSONOutput.print(result) }
        let name = "\(result.reference) “\(result.title)”"
        guard result.changed else {
            return Console.current.print(result.removed
                ? "Nothing to do: \(name) is already removed; margin remove --restore \(result.reference) brings it back."
                : "Nothing to do: \(name) is not removed.")
        }
        guard result.removed else {
            return Console.current.print("Brought back \(name); margin show \(result.reference) shows it.")
        }
        Console.current.print("Removed \(name); margin remove --restore \(result.reference) brings it back.")
        var kept: [String] = []
        if result.notes > 0 { kept.append(Formatting.count(result.notes, "note")) }
        if result.taggedSections > 0 { kept.append(Formatting.count(result.taggedSections, "tagged section")) }
        if !kept.isEmpty {
            Console.current.print(
                "Its \(kept.joined(separator: " and ")) stay: margin notes and margin show \(result.reference) read them.")
        }
    }
}
