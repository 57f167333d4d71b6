import ArgumentParser
import MarginStore

struct AnnotateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "annotate",
        abstract: "Add, edit or delete an annotation on a section.",
        discussion: """
            margin annotate 3f9a/2.1 "text" [--quote "exact span" [--occurrence N]]   add
            margin annotate --edit ANNOTATION "new text"                               edit
            margin annotate --delete ANNOTATION                                         delete
            margin annotate --reanchor ANNOTATION --quote "exact span" [--occurrence N] re-attach (e.g. an orphan)
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp("Edit this annotation instead of adding one.", valueName: "annotation"))
    var edit: String?

    @Option(help: ArgumentHelp("Delete this annotation (its history stays).", valueName: "annotation"))
    var delete: String?

    @Option(help: ArgumentHelp("Re-attach this annotation to --quote in its section's current text.", valueName: "annotation"))
    var reanchor: String?

    @Option(help: "Anchor the annotation to this exact span of the section text.")
    var quote: String?

    @Option(help: "Which occurrence of the quote (1, 2, …) when it occurs more than once.")
    var occurrence: Int?

    @Argument(help: "The section (when adding), then the annotation text.")
    var arguments: [String] = []

    func validate() throws {
        guard [edit, delete, reanchor].compactMap({ $0 }).count <= 1 else {
            throw ValidationError("Use only one of --edit, --delete and --reanchor.")
        }
        if reanchor != nil {
            guard arguments.isEmpty, quote != nil else {
                throw ValidationError("--reanchor takes no text, only --quote \"exact span\" (and --occurrence N).")
            }
            return
        }
        if delete != nil {
            guard arguments.isEmpty else { throw ValidationError("--delete takes no text.") }
        } else if edit != nil {
            guard arguments.count == 1 else { throw ValidationError("--edit takes the new text as its one argument.") }
        } else {
            guard arguments.count == 2 else {
                throw ValidationError("Give a section and the annotation text, e.g. margin annotate 3f9a/2.1 \"text\".")
            }
        }
        if (edit != nil || delete != nil) && (quote != nil || occurrence != nil) {
            throw ValidationError("--quote and --occurrence apply only when adding an annotation.")
        }
        if occurrence != nil && quote == nil { throw ValidationError("--occurrence needs --quote.") }
        if let occurrence, occurrence < 1 { throw ValidationError("--occurrence must be 1 or more.") }
    }

    func run() async throws {
        let opened = try store.open()
        let annotation: AnnotationView
        let verb: String
        if let reanchor, let quote {
            annotation = try opened.reanchorAnnotation(reanchor, quote: quote, occurrence: occurrence)
            verb = "Re-anchored"
        } else if let delete {
            annotation = try opened.deleteAnnotation(delete)
            verb = "Deleted"
        } else if let edit {
            annotation = try opened.editAnnotation(edit, text: arguments[0])
            verb = "Edited"
        } else {
            annotation = try opened.addAnnotation(on: arguments[0], text: arguments[1], quote: quote, occurrence: occurrence)
            verb = "Added"
        }
        if output.json { return try JSONOutput.print(annotation) }
        Console.current.print("\(verb) annotation \(annotation.shortID).")
    }
}
