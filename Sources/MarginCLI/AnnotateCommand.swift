import ArgumentParser
import MarginCore
import MarginStore

struct AnnotateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "annotate",
        abstract: "Add, edit, delete or restore an annotation on a section.",
        discussion: """
            margin annotate 3f9a/2.1 "text" [--quote "span" [--occurrence N]]  add
            margin annotate 3f9a/2.1                 add, writing in $VISUAL or $EDITOR
            margin annotate 3f9a/2.1 - < note.md     add, reading standard input
            margin annotate 3f9a/2.1 --file note.md  add, reading a file (UTF-8)
            margin annotate --edit ANN ["text" | - | --file PATH]  edit (no text: editor)
            margin annotate --delete ANN                           delete
            margin annotate --restore ANN                          undo a delete
            margin annotate --reanchor ANN --quote "span" [--occurrence N]  re-attach
            margin annotate --reanchor ANN --section 3f9a/2 [--quote "span"] [--occurrence N]
                place on another section of its report, on its quote there (refused when it is not there)
            Text that starts with "-" goes after --: margin annotate 3f9a/2.1 -- "-3% …"
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp("Edit this annotation instead of adding one.", valueName: "annotation"))
    var edit: String?

    @Option(help: ArgumentHelp("Delete this annotation (its history stays).", valueName: "annotation"))
    var delete: String?

    @Option(help: ArgumentHelp("Bring back the last text of this deleted annotation.", valueName: "annotation"))
    var restore: String?

    @Option(help: ArgumentHelp("Re-attach this annotation to --quote in its section's current text.", valueName: "annotation"))
    var reanchor: String?

    @Option(help: "Anchor the annotation to this exact span of the section text.")
    var quote: String?

    @Option(
        help: ArgumentHelp(
            "With --reanchor: place the annotation on this section of its report, on its quote there.",
            valueName: "section"),
        completion: ReferenceCompletion.reportsAndSections)
    var section: String?

    // Unconditional, so that `--occurrence -1` reaches validate() and is refused for what it is.
    @Option(parsing: .unconditional, help: "Which occurrence of the quote (1, 2, …) when it occurs more than once.")
    var occurrence: Int?

    @Option(help: ArgumentHelp("Read the annotation text from this file (UTF-8).", valueName: "path"))
    var file: String?

    @Argument(
        help: "The section (when adding), then the annotation text (- reads standard input; none opens the editor).",
        completion: ReferenceCompletion.reportsAndSections)
    var arguments: [String] = []

    private static let dashHint = "text that starts with \"-\" goes after --, e.g. margin annotate 3f9a/2.1 -- \"-3% …\""

    func validate() throws {
        guard [edit, delete, restore, reanchor].compactMap({ $0 }).count <= 1 else {
            throw ValidationError("Use only one of --edit, --delete, --restore and --reanchor.")
        }
        if let occurrence, occurrence < 1 { throw ValidationError("--occurrence must be 1 or more (it counts from 1).") }
        if reanchor != nil {
            guard quote != nil || section != nil else {
                throw ValidationError("--reanchor needs --quote \"exact span\" (a span of the section's current text), and --occurrence N if it occurs more than once, or --section SECTION to place it on another section.")
            }
            guard arguments.isEmpty, file == nil else { throw ValidationError("--reanchor takes no text, only --quote \"exact span\" or --section SECTION (and --occurrence N).") }
            return
        }
        if section != nil { throw ValidationError("--section applies only with --reanchor ANN; to add a note, name the section first: margin annotate 3f9a/2.1 \"text\".") }
        if delete != nil || restore != nil {
            let option = delete != nil ? "--delete" : "--restore"
            guard arguments.isEmpty, file == nil else { throw ValidationError("\(option) takes no text.") }
        } else if edit != nil {
            guard arguments.count <= 1 else {
                throw ValidationError("--edit takes the new text as its one argument (quote it; \(Self.dashHint)).")
            }
        } else {
            guard !arguments.isEmpty else {
                throw ValidationError("Name the section to annotate, e.g. margin annotate 3f9a/2.1 \"text\"; \(Self.dashHint).")
            }
            guard arguments.count <= 2 else {
                throw ValidationError("Give a section and the annotation text in quotes, e.g. margin annotate 3f9a/2.1 \"text\"; \(Self.dashHint).")
            }
        }
        if edit != nil || delete != nil || restore != nil, quote != nil || occurrence != nil {
            throw ValidationError("--quote and --occurrence apply only when adding or re-anchoring an annotation.")
        }
        if occurrence != nil && quote == nil { throw ValidationError("--occurrence needs --quote.") }
        if let text = arguments.dropFirst(edit == nil ? 1 : 0).first {
            _ = try TextInput.chosen(argument: text, file: file)
            if text != "-", Self.isBlank(text) { throw Self.emptyNote }
        }
    }

    func run() throws {
        let opened = try store.open()
        let change: AnnotationChange
        let verb: String
        if let reanchor, let section {
            change = try opened.placeAnnotation(reanchor, onSection: section, quote: quote, occurrence: occurrence)
            verb = "Placed"
        } else if let reanchor, let quote {
            change = try opened.moveAnnotationAnchor(reanchor, toQuote: quote, occurrence: occurrence)
            verb = "Re-anchored"
        } else if let delete {
            change = AnnotationChange(annotation: try opened.deleteAnnotation(delete), written: true)
            verb = "Deleted"
        } else if let restore {
            change = AnnotationChange(annotation: try opened.restoreAnnotation(restore), written: true)
            verb = "Restored"
        } else if let edit {
            // Set when the editor opens: what the person sees is read after it, so a change in between refuses the save.
            var seen: SeenRevisions?
            change = try writing(TextInput.chosen(argument: arguments.first, file: file), template: {
                seen = try opened.seenRevisions(ofAnnotation: edit)
                let current = try opened.annotation(edit)
                if current.deleted { throw MarginStoreError(.annotationDeleted(edit)) }
                if current.conflicted { throw MarginStoreError(.annotationInConflict(edit)) }
                return (current.text, ["Edit annotation \(current.shortID) above the line. Lines starting with # above it are kept."])
            }) { text in try opened.changeAnnotationText(edit, to: text, since: seen) }
            verb = "Edited"
        } else {
            let section = arguments[0]
            change = try writing(TextInput.chosen(argument: arguments.dropFirst().first, file: file), template: {
                let detail = try opened.section(section)
                if let quote { _ = try TextAnchor.locate(quote: quote, in: detail.text, occurrence: occurrence) }
                let target = "\(detail.reference) \(detail.heading)" + (quote.map { ", on “\($0)”" } ?? "")
                return ("", ["Write the note on \(target) above the line.", "Lines starting with # above it are kept; an empty note writes nothing."])
            }) { text in
                AnnotationChange(annotation: try opened.addAnnotation(on: section, text: text, quote: quote, occurrence: occurrence), written: true)
            }
            verb = "Added"
        }
        if output.json { return try JSONOutput.print(change) }
        guard change.written else {
            return Console.current.print(reanchor != nil
                ? "Nothing to do: the annotation is anchored there already."
                : "Nothing to do: the annotation already has that text.")
        }
        if section != nil, let placed = change.annotation.sectionReference {
            return Console.current.print("\(verb) annotation \(change.annotation.shortID) on \(placed).")
        }
        Console.current.print("\(verb) annotation \(change.annotation.shortID).")
    }

    /// Writes the note text from its source with `write`; for the editor, `template` gives the starting text and
    /// instructions (and checks, before the person starts writing, that the write can succeed).
    private func writing(
        _ source: TextInput, template: () throws -> (text: String, instructions: [String]),
        _ write: (String) throws -> AnnotationChange
    ) throws -> AnnotationChange {
        if let text = try source.read() {
            guard !Self.isBlank(text) else { throw Self.emptyNote }
            return try write(try TextInput.noteText(text))
        }
        let (start, instructions) = try template()
        return try EditorSession.edit(
            start, instructions: instructions,
            alternatives: "pass the text as an argument, - to read it from standard input, or --file PATH"
        ) { text in
            guard !Self.isBlank(text) else { throw MarginCLIError.nothingWritten(reason: "the note is empty") }
            return try write(try TextInput.noteText(text))
        }
    }

    private static func isBlank(_ text: String) -> Bool { text.allSatisfy { $0.isWhitespace || $0.isNewline } }

    private static let emptyNote = ValidationError("The note is empty; write some text, e.g. margin annotate 3f9a/2.1 \"text\".")
}
