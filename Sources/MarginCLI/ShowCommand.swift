import ArgumentParser
import MarginCore
import MarginStore

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a report's outline, a section's text with its tags and annotations, or an annotation.",
        discussion: "REF is a report (3f9a), a section (3f9a/2.1; 3f9a/0 is the preamble) or an annotation id.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(
        help: "What to show: a report, a section or an annotation reference.",
        completion: ReferenceCompletion.reportsAndSections)
    var reference: String

    func run() throws {
        let opened = try store.open()
        switch try opened.resolve(reference) {
        case .report:
            let outline = try opened.outline(of: reference)
            if output.json { return try JSONOutput.print(outline) }
            SectionPrinter.printOutline(outline)
        case let .section(section, _):
            let detail = try opened.section(section.rawValue)
            if output.json { return try JSONOutput.print(detail) }
            let signers = try opened.firstSigners(of: detail.annotations.map(\.id))
            SectionPrinter.printSection(detail, highlight: Console.current.highlights, signers: signers)
        case .annotation:
            var annotation = try opened.annotation(reference)
            annotation.sectionReference = try annotation.sectionReference ?? opened.sectionReference(of: annotation.section)
            if output.json { return try JSONOutput.print(annotation) }
            // Shown alone, a note says where it is: its section (when still in its report) and the report.
            let place = try annotation.sectionReference.map { reference in
                let section = try opened.section(reference)
                return "section \(reference)  \(section.label)\(section.heading), in \(section.reportTitle)"
            }
            SectionPrinter.printAnnotation(
                annotation, highlight: Console.current.highlights,
                signer: try opened.firstSigners(of: [annotation.id])[annotation.id], place: place)
        }
    }
}

/// Human-readable rendering of reports, sections and annotations.
enum SectionPrinter {
    static func printOutline(_ outline: ReportOutline) {
        let console = Console.current
        console.print("\(outline.shortID)  \(outline.title)")
        if outline.removed {
            console.print("(removed: not listed or searched; margin remove --restore \(outline.shortID) brings it back)")
        }
        if outline.conflicted {
            console.print("(edited on two peers: one side is shown; margin conflicts lists both, margin resolve \(outline.shortID) settles them)")
        }
        console.print("")
        let width = outline.sections.map { Formatting.width($0.reference) }.max() ?? 8
        for entry in outline.sections {
            let indent = String(repeating: "  ", count: max(0, entry.level - 1))
            let heading = entry.level == 0 ? "(preamble)" : entry.label + entry.heading
            var marks: [String] = []
            if entry.annotations > 0 { marks.append(Formatting.count(entry.annotations, "note")) }
            if entry.conflicts > 0 { marks.append("\(entry.conflicts) in conflict") }
            marks += entry.tags.map { "#" + $0 }
            let suffix = marks.isEmpty ? "" : "  [" + marks.joined(separator: ", ") + "]"
            console.print(Formatting.pad(entry.reference, width) + "  " + indent + heading + suffix)
        }
    }

    static func printSection(_ detail: SectionDetail, highlight: Bool, signers: [RecordID: RevisionSigner] = [:]) {
        let console = Console.current
        let heading = detail.level == 0 ? "(preamble)" : detail.label + detail.heading
        console.print("\(detail.reference)  \(heading)")
        console.print("in \(detail.reportTitle)")
        if !detail.tags.isEmpty { console.print("tags: " + detail.tags.map { "#" + $0 }.joined(separator: " ")) }
        console.print("")
        console.print(highlight ? highlighted(detail) : detail.text)
        guard !detail.annotations.isEmpty else { return }
        console.print("")
        console.print("Annotations:")
        for annotation in detail.annotations {
            printAnnotation(annotation, highlight: highlight, indent: "  ", signer: signers[annotation.id])
        }
    }

    /// Prints an annotation; `signer`, when given, says who vouches for its author (see ``Formatting/signer(_:)``),
    /// and `place`, where the note is, for a note shown alone.
    static func printAnnotation(
        _ annotation: AnnotationView, highlight: Bool, indent: String = "", signer: RevisionSigner? = nil,
        place: String? = nil
    ) {
        let console = Console.current
        let conflict = annotation.conflicted ? "  ⚠ in conflict (see margin conflicts)" : ""
        // A deleted annotation has no text left; say so instead of printing an empty note.
        let deleted = annotation.deleted ? "  (deleted; margin history \(annotation.shortID) shows its revisions)" : ""
        console.print("\(indent)\(annotation.shortID)  \(annotation.author)\(Formatting.signer(signer)), \(Formatting.time(annotation.createdAt))\(conflict)\(deleted)")
        if let place { console.print("\(indent)  \(place)") }
        if let anchor = annotation.anchor {
            let quote = highlight ? Formatting.highlight(anchor.quote) : "“\(anchor.quote)”"
            switch annotation.placement {
            case "orphaned":
                if annotation.candidateReferences.isEmpty {
                    console.print("\(indent)  ⚠ orphaned: its quote \(quote) is no longer in the text; re-attach with margin annotate --reanchor \(annotation.shortID) --quote \"…\"")
                } else {
                    console.print("\(indent)  ⚠ orphaned: its quote \(quote) is in \(annotation.candidateReferences.joined(separator: ", ")); place it with margin annotate --reanchor \(annotation.shortID) --section SECTION")
                }
            case "moved", "approximate":
                let span = characters(annotation.placedStart ?? anchor.start, annotation.placedEnd ?? anchor.end)
                console.print("\(indent)  on \(quote) (\(annotation.placement!) to \(span))")
            case "relocated":
                let span = characters(annotation.placedStart ?? anchor.start, annotation.placedEnd ?? anchor.end)
                let from = annotation.movedFromReference ?? "a section no longer in the report"
                console.print("\(indent)  on \(quote) (\(span); moved from \(from), where it was written)")
            default:
                console.print("\(indent)  on \(quote) (\(characters(anchor.start, anchor.end)))")
            }
        } else if annotation.placement == "orphaned" {
            console.print("\(indent)  ⚠ orphaned: its section is no longer in the report")
        }
        guard !annotation.deleted else { return }
        for line in annotation.text.components(separatedBy: "\n") { console.print("\(indent)  \(line)") }
    }

    /// A span of 0-based scalar offsets (end exclusive) as people count: 1-based, both ends included, so the
    /// span 2..<10 is "characters 3–10" and 4..<5 is "character 5".
    static func characters(_ start: Int, _ end: Int) -> String {
        end - start <= 1 ? "character \(start + 1)" : "characters \(start + 1)–\(end)"
    }

    /// The section text with every annotated span in reverse video (spans are Unicode-scalar offsets).
    static func highlighted(_ detail: SectionDetail) -> String {
        let scalars = Array(detail.text.unicodeScalars)
        var marked = Array(repeating: false, count: scalars.count)
        for annotation in detail.annotations {
            guard let start = annotation.placedStart, let end = annotation.placedEnd, start >= 0, start <= end,
                end <= scalars.count
            else { continue }
            for index in start..<end { marked[index] = true }
        }
        var result = ""
        var inside = false
        for (index, scalar) in scalars.enumerated() {
            if marked[index] != inside {
                result += marked[index] ? "\u{1B}[7m" : "\u{1B}[0m"
                inside = marked[index]
            }
            result.unicodeScalars.append(scalar)
        }
        return inside ? result + "\u{1B}[0m" : result
    }
}
