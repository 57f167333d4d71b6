import ArgumentParser
import Foundation
import MarginStore

struct ConflictsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conflicts",
        abstract: "List every open conflict: each side and the base, with the differing span marked.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let conflicts = try store.open().conflicts()
        if output.json { return try JSONOutput.print(conflicts) }
        guard !conflicts.isEmpty else { return Console.current.print("No open conflicts.") }
        let highlight = Console.current.highlights
        for conflict in conflicts {
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
        let markers = ["<<<<<<<", "|||||||", "=======", ">>>>>>>"]
        guard !EditorSession.lines(of: kept).contains(where: { line in markers.contains { line.hasPrefix($0) } }) else {
            throw MarginCLIError.nothingWritten(
                reason: "the saved file still has conflict markers (<<<<<<< ||||||| ======= >>>>>>>), so nothing was resolved; run the command again and delete them")
        }
        guard !kept.allSatisfy({ $0.isWhitespace || $0.isNewline }) else {
            throw MarginCLIError.nothingWritten(reason: "the saved text is empty, so nothing was resolved; to keep a deletion, use --keep REVISION")
        }
        return try TextInput.noteText(kept)
    }
}

struct ResolveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve",
        abstract: "Resolve a conflicting annotation once, for every peer.",
        discussion: """
            margin resolve ANN --keep REVISION   keep one side (see margin conflicts)
            margin resolve ANN --text TEXT       write the merged text
            margin resolve ANN --edit            edit the sides in $VISUAL or $EDITOR
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

    @Argument(help: "The annotation in conflict.")
    var annotation: String

    func validate() throws {
        let chosen = [keep != nil, text != nil, edit].filter { $0 }.count
        guard chosen == 1 else { throw ValidationError("Choose exactly one of --keep REVISION, --text TEXT or --edit.") }
        if let text, text.allSatisfy({ $0.isWhitespace || $0.isNewline }) {
            throw ValidationError("The text is empty; write the merged text, or keep one side with --keep REVISION.")
        }
    }

    func run() async throws {
        let opened = try store.open()
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
