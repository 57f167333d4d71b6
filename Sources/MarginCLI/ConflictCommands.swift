import ArgumentParser
import Foundation
import MarginCore
import MarginStore
import ReportParser

struct ConflictsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conflicts",
        abstract: "List every open conflict: each side and the base, with the differing span marked.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let opened = try store.open()
        let conflicts = try opened.conflicts()
        if output.json { return try JSONOutput.print(conflicts) }
        guard !conflicts.isEmpty else { return Console.current.print("No open conflicts.") }
        let highlight = Console.current.highlights
        for conflict in conflicts {
            if conflict.kind == .report {
                ReportConflictPrinter.print(conflict, merged: try? opened.mergedReport(conflict.shortID))
                continue
            }
            Console.current.print("annotation \(conflict.shortID) on \(conflict.section ?? "(section gone)")  \(conflict.heading)  — \(conflict.reportTitle)")
            if let base = conflict.base {
                Console.current.print("  base      \(base.author), \(Formatting.time(base.createdAt)): \(base.text)")
            }
            for side in conflict.sides {
                let shown = side.revision == conflict.shown ? " (shown)" : ""
                let text = side.deleted ? "(deleted)" : ConflictPrinter.marked(side, highlight: highlight)
                Console.current.print("  \(side.shortRevision)  \(side.author), \(Formatting.time(side.createdAt))\(shown): \(text)")
            }
            Console.current.print("  resolve: margin resolve \(conflict.shortID) --keep REVISION | --text TEXT | --edit")
            Console.current.print("")
        }
    }
}

/// Renders conflict sides with their differing span marked.
enum ConflictPrinter {
    static func marked(_ side: ConflictSide, highlight: Bool) -> String {
        let scalars = Array(side.text.unicodeScalars)
        guard side.differenceStart < side.differenceEnd, side.differenceEnd <= scalars.count else { return side.text }
        func text(_ range: Range<Int>) -> String { String(String.UnicodeScalarView(scalars[range])) }
        let middle = text(side.differenceStart..<side.differenceEnd)
        return text(0..<side.differenceStart) + (highlight ? Formatting.highlight(middle) : "⟦" + middle + "⟧")
            + text(side.differenceEnd..<scalars.count)
    }

    /// Every side and the base between git-style conflict markers, for `resolve --edit` to open in the editor.
    static func editableText(_ conflict: ConflictView) -> String {
        func label(_ side: ConflictSide) -> String { "\(side.shortRevision) (\(side.author))" + (side.deleted ? " deleted" : "") }
        guard let first = conflict.sides.first else { return "" }
        var lines = ["<<<<<<< " + label(first), first.text]
        if let base = conflict.base { lines += ["||||||| base (\(base.author))", base.text] }
        for side in conflict.sides.dropFirst() { lines += ["=======", side.text] }
        lines.append(">>>>>>> " + conflict.sides.dropFirst().map(label).joined(separator: ", "))
        return lines.joined(separator: "\n") + "\n"
    }

    /// Refuses a saved text that still has a conflict marker line.
    static func refuseMarkers(in kept: String) throws {
        let markers = ["<<<<<<<", "|||||||", "=======", ">>>>>>>"]
        guard !EditorSession.lines(of: kept).contains(where: { line in markers.contains { line.hasPrefix($0) } }) else {
            throw MarginCLIError.nothingWritten(
                reason: "the saved file still has conflict markers (<<<<<<< ||||||| ======= >>>>>>>), so nothing was resolved; run the command again and delete them")
        }
    }

    /// The instructions shown below the scissors line of `resolve --edit`.
    static func editInstructions(_ conflict: ConflictView) -> [String] {
        [
            "Resolve annotation \(conflict.shortID) on \(conflict.section ?? "(section gone)"): above the line, keep the text",
            "you want and delete the marker lines (<<<<<<< ||||||| ======= >>>>>>>), then save and quit.",
            "Every line above the line is kept as it is, including lines that start with #.",
        ]
    }

    /// The text a person kept in `resolve --edit`, refused while conflict markers remain.
    static func resolvedText(_ kept: String) throws -> String {
        try refuseMarkers(in: kept)
        guard !kept.allSatisfy({ $0.isWhitespace || $0.isNewline }) else {
            throw MarginCLIError.nothingWritten(reason: "the saved text is empty, so nothing was resolved; to keep a deletion, use --keep REVISION")
        }
        return try TextInput.noteText(kept)
    }
}

struct ResolveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve",
        abstract: "Resolve a conflicting annotation or report once, for every peer.",
        discussion: """
            margin resolve ANN --keep REVISION      keep one side (see margin conflicts)
            margin resolve ANN --text TEXT          write the merged text
            margin resolve ANN --edit               edit the sides in $VISUAL or $EDITOR
            margin resolve REPORT --keep REVISION   keep one side's text of a report edited on two peers
            margin resolve REPORT --merge           write the section-by-section merge, when no part changed on both
            margin resolve REPORT --edit            edit that merge, both sides between markers where they clash
            The resolution is a new revision whose parents are all conflicting revisions; it syncs like any edit.
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp("Keep this revision (a prefix of at least 4 characters).", valueName: "revision"))
    var keep: String?

    @Option(help: "Replace the conflicting versions with this text.")
    var text: String?

    @Flag(help: "Open $VISUAL or $EDITOR on a file holding every side between conflict markers.")
    var edit = false

    @Flag(help: "For a report: write the merge of its sides, when no title or section changed on two of them.")
    var merge = false

    @Argument(help: "The annotation or report in conflict.")
    var annotation: String

    func validate() throws {
        let chosen = [keep != nil, text != nil, edit, merge].filter { $0 }.count
        guard chosen == 1 else { throw ValidationError("Choose exactly one of --keep REVISION, --text TEXT, --merge or --edit.") }
        if let text, text.allSatisfy({ $0.isWhitespace || $0.isNewline }) {
            throw ValidationError("The text is empty; write the merged text, or keep one side with --keep REVISION.")
        }
    }

    func run() async throws {
        let opened = try store.open()
        if case let .report(id) = try opened.resolve(annotation) { return try resolveReport(id, in: opened) }
        if merge {
            throw ValidationError("--merge settles a report; for an annotation, use --keep REVISION, --text TEXT or --edit.")
        }
        let resolved: AnnotationView
        if let keep {
            resolved = try opened.resolveConflict(annotation, keeping: keep)
        } else if let text {
            resolved = try opened.resolveConflict(annotation, text: try TextInput.noteText(text))
        } else {
            // Read before the sides: a side that arrives while the editor is open makes the save refuse.
            let seen = try opened.seenRevisions(ofAnnotation: annotation)
            let conflict = try opened.conflict(annotation)
            resolved = try EditorSession.edit(
                ConflictPrinter.editableText(conflict), instructions: ConflictPrinter.editInstructions(conflict),
                alternatives: "keep one side with --keep REVISION, or write the merged text with --text TEXT"
            ) { kept in try opened.resolveConflict(annotation, text: try ConflictPrinter.resolvedText(kept), since: seen) }
        }
        if output.json { return try JSONOutput.print(resolved) }
        Console.current.print("Resolved \(resolved.shortID)" + (resolved.deleted ? " (deleted)." : ": \(Formatting.clip(resolved.text, 60))"))
    }
}

extension ResolveCommand {
    /// Settles a report edited on two peers: one side, the clean merge, or the merge as a person edits it.
    func resolveReport(_ id: RecordID, in opened: MarginStore) throws {
        let resolved: ImportedReport
        if let keep {
            resolved = try opened.resolveReportConflict(annotation, keeping: keep)
        } else if merge {
            resolved = try opened.resolveReportConflictByMerging(annotation)
        } else if edit {
            // Read before the sides: a side that arrives while the editor is open makes the save refuse.
            let seen = try opened.seenRevisions(of: id)
            let conflict = try opened.reportConflict(annotation)
            let merged = try opened.mergedReport(annotation)
            resolved = try EditorSession.edit(
                ReportConflictPrinter.editableText(merged, conflict),
                instructions: ReportConflictPrinter.editInstructions(conflict, merged),
                alternatives: "keep one side with --keep REVISION"
            ) { kept in
                try ConflictPrinter.refuseMarkers(in: kept)
                return try opened.resolveReportConflict(annotation, with: try EditedReport.parse(kept), since: seen)
            }
        } else {
            throw ValidationError("--text writes an annotation's text; for a report, use --keep REVISION, --merge or --edit.")
        }
        if output.json { return try JSONOutput.print(resolved) }
        Console.current.print("Resolved report \(resolved.reference): \(Formatting.clip(resolved.title, 60))")
        RevisedReportLines.printAnnotationChanges(of: resolved)
    }
}
