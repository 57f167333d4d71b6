import ArgumentParser
import Foundation
import MarginCore
import MarginStore

struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log", abstract: "Show the change log, newest first.",
        discussion: """
            With a reference, only the changes to that thing: a report (the report, its annotations and its \
            sections' tags), a section (its annotations and tags) or an annotation.

            Examples: margin log 3f9a   margin log 3f9a/2.1 --author 王老师   margin log --since 2026-11-01
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(
        help: "Only changes to this report, section (3f9a/2.1) or annotation.",
        completion: ReferenceCompletion.reportsAndSections)
    var reference: String?

    @Option(help: "Only changes by this author.")
    var author: String?

    @Option(help: ArgumentHelp(
        "Only changes made since then: a date (2026-11-25, from local midnight) or an ISO 8601 time (2026-11-25T09:30:00Z).",
        valueName: "date"))
    var since: String?

    @Option(help: "Show at most this many entries.")
    var limit = 20

    func validate() throws {
        guard limit > 0 else { throw ValidationError("--limit must be at least 1.") }
        if let since, Self.moment(since) == nil {
            throw ValidationError(
                "--since takes a date such as 2026-11-25 or an ISO 8601 time such as 2026-11-25T09:30:00Z, not “\(since)”.")
        }
    }

    func run() async throws {
        let filter = ChangeLogFilter(reference: reference, author: author, since: since.flatMap(Self.moment))
        let entries = try store.open().changeLog(limit: limit, filter: filter)
        if output.json { return try JSONOutput.print(entries) }
        guard !entries.isEmpty else {
            let filtered = filter != ChangeLogFilter()
            return Console.current.print(filtered ? "No changes match." : "The change log is empty.")
        }
        for entry in entries {
            let source = entry.source == "local" ? "" : "  (from \(entry.source))"
            Console.current.print(
                "#\(entry.sequence)  \(entry.revision.rawValue.prefix(10))  \(Formatting.time(entry.createdAt.milliseconds))  \(entry.author)\(Formatting.signer(entry.signer))  \(entry.summary)\(source)")
        }
    }

    /// A `--since` value as a moment: `YYYY-MM-DD` is that day's local midnight; otherwise a full ISO 8601 time.
    static func moment(_ text: String) -> Timestamp? {
        let trimmed = text.trimmingSpaces()
        let parts = trimmed.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count == 3, parts.map(\.count) == [4, 2, 2], parts.allSatisfy({ $0.allSatisfy(\.isASCII) }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = .current
            let components = DateComponents(year: year, month: month, day: day)
            guard components.isValidDate(in: calendar), let date = calendar.date(from: components) else { return nil }
            return Timestamp(date)
        }
        return Timestamp.parse(trimmed).map(Timestamp.init)
    }
}

struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show every revision of a report, an annotation, or a section's tags.",
        discussion: """
            With --diff, each revision lists what changed since the one before. A revision id from `margin log` \
            shows the history of the record it belongs to.

            “(current)” marks the version `show` shows. A section's tag history holds one record per tag, so each \
            tag has its own current revision, marked “(current for #tag)”. While concurrent edits are unmerged, \
            the other latest revisions are marked “(concurrent head)”.
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    @Flag(help: "Show what changed between consecutive revisions.")
    var diff = false

    @Argument(
        help: "A report, an annotation, a section (for its tags), or a revision id.",
        completion: ReferenceCompletion.reportsAndSections)
    var reference: String

    func run() async throws {
        let entries = try store.open().history(of: reference, diff: diff)
        if output.json { return try JSONOutput.print(entries) }
        guard !entries.isEmpty else { return Console.current.print("No revisions for \(reference).") }
        let severalRecords = Set(entries.map(\.revision.record)).count > 1
        for entry in entries {
            let revision = entry.revision
            Console.current.print(
                "\(revision.id.rawValue.prefix(10))  \(Formatting.time(revision.createdAt))  \(revision.author)\(Formatting.signer(entry.signer))  \(entry.summary)\(Self.marker(entry, severalRecords: severalRecords))")
            if revision.parents.count > 0 {
                Console.current.print("    parents: " + revision.parents.map { String($0.rawValue.prefix(10)) }.joined(separator: ", "))
            }
            for change in entry.changes ?? [] { Console.current.print("    " + change) }
        }
    }

    /// What the line of a revision says about it being its record's latest.
    static func marker(_ entry: HistoryEntry, severalRecords: Bool) -> String {
        if entry.isCurrent {
            if severalRecords, let tag = entry.tag { return "  (current for #\(tag))" }
            return "  (current)"
        }
        return entry.isHead ? "  (concurrent head)" : ""
    }
}
