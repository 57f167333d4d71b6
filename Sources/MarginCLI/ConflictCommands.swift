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
        let highlight = Console.current.isTerminal
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

    /// A file holding every side and the base between git-style conflict markers, for `resolve --edit`.
    static func editableFile(_ conflict: ConflictView) -> String {
        var lines = [
            "# Resolve annotation \(conflict.shortID) on \(conflict.section ?? "(section gone)"): keep the text you want,",
            "# delete the marker lines (<<<<<<< ||||||| ======= >>>>>>>), save and quit. Lines starting with # are ignored.",
        ]
        func label(_ side: ConflictSide) -> String { "\(side.shortRevision) (\(side.author))" + (side.deleted ? " deleted" : "") }
        guard let first = conflict.sides.first else { return "" }
        lines += ["<<<<<<< " + label(first), first.text]
        if let base = conflict.base { lines += ["||||||| base (\(base.author))", base.text] }
        for side in conflict.sides.dropFirst() { lines += ["=======", side.text] }
        lines.append(">>>>>>> " + conflict.sides.dropFirst().map(label).joined(separator: ", "))
        return lines.joined(separator: "\n") + "\n"
    }
}

struct ResolveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve",
        abstract: "Resolve a conflicting annotation once, for every peer.",
        discussion: """
            margin resolve ANN --keep REVISION   keep one side (a revision listed by margin conflicts)
            margin resolve ANN --text TEXT       write the merged text
            margin resolve ANN --edit            edit both sides in $EDITOR between conflict markers, like git
            The resolution is a new revision whose parents are all conflicting revisions; it syncs like any edit.
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp("Keep this revision (a prefix of at least 4 characters).", valueName: "revision"))
    var keep: String?

    @Option(help: "Replace the conflicting versions with this text.")
    var text: String?

    @Flag(help: "Open $EDITOR on a file holding every side with conflict markers.")
    var edit = false

    @Argument(help: "The annotation in conflict.")
    var annotation: String

    func validate() throws {
        let chosen = [keep != nil, text != nil, edit].filter { $0 }.count
        guard chosen == 1 else { throw ValidationError("Choose exactly one of --keep REVISION, --text TEXT or --edit.") }
    }

    func run() async throws {
        let opened = try store.open()
        let resolved: AnnotationView
        if let keep {
            resolved = try opened.resolveConflict(annotation, keeping: keep)
        } else if let text {
            resolved = try opened.resolveConflict(annotation, text: text)
        } else {
            let conflict = try opened.conflict(annotation)
            resolved = try opened.resolveConflict(annotation, text: try EditorSession.edit(ConflictPrinter.editableFile(conflict)))
        }
        if output.json { return try JSONOutput.print(resolved) }
        Console.current.print("Resolved \(resolved.shortID)" + (resolved.deleted ? " (deleted)." : ": \(Formatting.clip(resolved.text, 60))"))
    }
}

/// Runs `$EDITOR` (else `vi`) on a temporary file and returns what the person saved, without marker lines.
enum EditorSession {
    static func edit(_ contents: String) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("margin-resolve-\(UUID().uuidString).txt")
        try contents.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let editor = ProcessInfo.processInfo.environment["EDITOR"] ?? "vi"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "\(editor) \"$0\"", file.path]
        do {
            try process.run()
        } catch {
            throw MarginCLIError.editorFailed("\(error)")
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw MarginCLIError.editorFailed("\(editor) exited with status \(process.terminationStatus)")
        }
        let saved = try String(contentsOf: file, encoding: .utf8)
        let lines = saved.components(separatedBy: "\n").filter { !$0.hasPrefix("#") }
        let markers = ["<<<<<<<", "|||||||", "=======", ">>>>>>>"]
        guard !lines.contains(where: { line in markers.contains { line.hasPrefix($0) } }) else {
            throw MarginCLIError.editorFailed("the saved file still has conflict markers, so nothing was resolved")
        }
        let text = lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw MarginCLIError.editorFailed("the saved file holds no text") }
        return text
    }
}
