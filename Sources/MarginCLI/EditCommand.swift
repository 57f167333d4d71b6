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
            Saving the text unchanged writes nothing. --file reads the edited text from a file instead.
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The report to edit (a short id, as margin reports lists).", completion: ReferenceCompletion.reportsAndSections)
    var report: String

    @Option(
        name: .long, help: ArgumentHelp("Read the edited text from this file (UTF-8) instead of opening the editor.", valueName: "path"),
        completion: .file())
    var file: String?

    func run() async throws {
        let opened = try store.open()
        let id = try ReportReference.report(report, in: opened)
        let revised: ImportedReport
        if let file {
            revised = try Self.save(try TextInput.file(file).read() ?? "", as: id, in: opened)
        } else {
            // Read before the text: a revision that lands in between makes the save refuse, never pass unseen.
            let seen = try opened.seenRevisions(of: id)
            let body = try opened.reportBody(id)
            revised = try EditorSession.edit(
                EditedReport.text(title: body.title, sectionTexts: body.sections.map(\.text)),
                instructions: Self.instructions, alternatives: "give the edited text with --file FILE"
            ) { kept in try Self.save(kept, as: id, in: opened, since: seen) }
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
        "Save the text unchanged to write nothing.",
    ]

    /// Reads `text` as the report's one report and saves it as the report's next revision, unless the report
    /// changed since `seen`.
    static func save(
        _ text: String, as id: RecordID, in store: MarginStore, since seen: SeenRevisions? = nil
    ) throws -> ImportedReport {
        let parsed: ParsedReport
        do {
            parsed = try EditedReport.parse(text)
        } catch {
            throw MarginCLIError.nothingWritten(reason: "the edited text is empty; it needs the report's title on its first line")
        }
        return try store.reviseReport(id, with: parsed, since: seen)
    }
}
