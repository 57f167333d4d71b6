import ArgumentParser
import Foundation
import MarginCore
import MarginStore
import ReportParser

/// `margin edit REPORT`: fix a report's structure by editing its text and headings.
struct EditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Edit a report's text and headings (fix a wrong split); saved as a new revision.",
        discussion: """
            Opens the report's current text in $VISUAL or $EDITOR: the title on the first line, then each section's \
            text with its heading line. Move, add, remove or renumber headings and text; the saved text is read as \
            one report (nothing is dropped as page furniture) and becomes the report's next revision. Notes re-anchor \
            as on a re-import, and those the new text moved or orphaned are listed. A section whose heading text \
            changes is a new section: its notes are orphaned (re-attach them with margin annotate --reanchor). \
            Saving the text unchanged writes nothing. --file reads the edited text from a file instead; as a file \
            may have been saved before a sync brought another peer's edit, a file that puts back what a title or \
            section said before such an edit is refused (exit 1) unless --replace is given.

            A text whose title line was deleted (its first line is a heading, or a line of the report's text) or \
            that keeps only the title line is refused (exit 1): nothing is written, and text from the editor \
            stays in the file the message names.
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The report to edit (a short id, as margin reports lists).", completion: ReferenceCompletion.reportsAndSections)
    var report: String

    @Option(
        name: .long, help: ArgumentHelp("Read the edited text from this file (UTF-8) instead of opening the editor.", valueName: "path"),
        completion: .file())
    var file: String?

    @Flag(help: "With --file: write the text even where it puts back what another peer's later edit changed.")
    var replace = false

    func validate() throws {
        if replace && file == nil {
            throw ValidationError("--replace goes with --file: text from the editor starts from the current text.")
        }
    }

    func run() async throws {
        let opened = try store.open()
        let id = try ReportReference.report(report, in: opened)
        let revised: ImportedReport
        if let file {
            let text = try TextInput.file(file).read() ?? ""
            revised = try Self.save(text, as: id, in: opened, editing: try opened.reportBody(id), refusingReversions: !replace)
        } else {
            // Read before the text: a revision that lands in between makes the save refuse, never pass unseen.
            let seen = try opened.seenRevisions(of: id)
            let body = try opened.reportBody(id)
            revised = try EditorSession.edit(
                EditedReport.text(title: body.title, sectionTexts: body.sections.map(\.text)),
                instructions: Self.instructions, alternatives: "give the edited text with --file FILE"
            ) { kept in try Self.save(kept, as: id, in: opened, editing: body, since: seen) }
        }
        if output.json { return try JSONOutput.print(revised) }
        let console = Console.current
        if revised.outcome == .unchanged {
            console.print("Report \(revised.reference) is unchanged; nothing written.")
            return
        }
        console.print("Report \(revised.reference): new revision, \(Formatting.count(revised.sections, "section")).")
        RevisedReportLines.printAnnotationChanges(of: revised)
    }

    static let instructions = [
        "",
        "The first line is the report's title; the text after it is the report. A line that starts with",
        "a heading label (一、 （一） 1、 （1） 第一部分 …) starts a section. Move, add, remove or renumber",
        "headings and text; blank lines do not matter. Notes follow their quotes; a note whose quote is",
        "gone, or whose section's heading text changed, is orphaned and listed after saving.",
        "Keep the title on the first line, and the report's text below it. Save the text unchanged to",
        "write nothing.",
    ]

    /// Reads `text` as the report's one report and saves it as the report's next revision, unless the report
    /// changed since `seen`, or the text lost its title line or every section (`current` is the text that was
    /// edited, to tell a deleted title line from a new title), or, `refusingReversions`, it puts back what another
    /// peer's later edit changed.
    static func save(
        _ text: String, as id: RecordID, in store: MarginStore, editing current: ReportBody, since seen: SeenRevisions? = nil,
        refusingReversions: Bool = false
    ) throws -> ImportedReport {
        let parsed: ParsedReport
        do {
            parsed = try EditedReport.parse(text)
        } catch {
            throw MarginCLIError.nothingWritten(reason: Self.refusal(error, title: current.title))
        }
        if let line = Self.formerTextLine(parsed.title, current) {
            throw MarginCLIError.nothingWritten(reason: """
                the title line seems to have been deleted: the first line, “\(Formatting.clip(line, 40))”, is a line of \
                the report's text; put the title (“\(current.title)”) back on the first line
                """)
        }
        return try store.reviseReport(id, with: parsed, since: seen, refusingReversions: refusingReversions)
    }

    /// Why an edited text that is not one report cannot be saved, for "Nothing written: …".
    static func refusal(_ error: ReportParserError, title: String) -> String {
        switch error.kind {
        case .titleLineMissing:
            return "the title line was deleted: the first line\(error.detail.map { ", \($0)," } ?? "") is a heading; "
                + "put the title (“\(title)”) back on the first line"
        case .noSections:
            return "the edited text keeps only its title line, which would drop every section; keep the report's text below it"
        default:
            return "the edited text is empty; it needs the report's title on its first line"
        }
    }

    /// The edited title when it is not the report's title but one of the lines of its text: the title line was
    /// deleted and the text's first line moved up into its place.
    static func formerTextLine(_ title: String, _ current: ReportBody) -> String? {
        guard title != current.title else { return nil }
        let lines = current.sections.lazy.flatMap { EditorSession.lines(of: $0.text) }
        return lines.contains { $0.trimmingWhiteSpace() == title } ? title : nil
    }
}
