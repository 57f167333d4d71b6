import Foundation
import MarginCore

/// Every note of every report as one document, for `margin export --all`.
public enum NotesExport {
    /// The columns of ``csv(_:)``, in order.
    public static let csvColumns = [
        "id", "reference", "report", "report_reference", "report_title", "section_reference", "heading", "quote",
        "author", "created", "updated", "placement", "conflicted", "text", "moved_from_reference",
    ]

    /// The notes as CSV (RFC 4180): a header row of ``csvColumns``, then one row per note, each row ending in CRLF.
    /// `moved_from_reference` is the section a note was written on when its quote has since moved into the section
    /// of `section_reference` (empty otherwise, or when that section is no longer in the report).
    /// A field holding a comma, a double quote, CR or LF is quoted, with its double quotes doubled, so that a
    /// multi-line note stays one field. Times are ISO 8601 UTC.
    public static func csv(_ notes: [NoteEntry]) -> String {
        var rows = [csvColumns]
        for note in notes {
            rows.append([
                note.id.rawValue, note.shortID, note.report.rawValue, note.reportReference ?? "", note.reportTitle ?? "",
                note.sectionReference ?? "", note.heading, note.quote ?? "", note.author, note.createdAt.iso8601,
                note.updatedAt.iso8601, note.placement ?? "", note.conflicted ? "true" : "false", note.text,
                note.movedFromReference ?? "",
            ])
        }
        return rows.map { $0.map(csvField).joined(separator: ",") + "\r\n" }.joined()
    }

    /// One CSV field, quoted when it must be.
    static func csvField(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else {
            return value
        }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The notes as Markdown: a level-1 title, a level-2 heading per report (by title), a level-3 heading per
    /// section (in document order) with its notes as block quotes, oldest first. Orphaned notes come last in their
    /// report, under "Orphaned notes", with the quote they had.
    public static func markdown(_ notes: [NoteEntry]) -> String {
        var lines = ["# Notes", ""]
        let byReport = Dictionary(grouping: notes, by: \.report)
        let reports = byReport.keys.sorted { lhs, rhs in
            let left = byReport[lhs]![0].reportTitle ?? "", right = byReport[rhs]![0].reportTitle ?? ""
            let order = left.compare(right, options: [.numeric])
            return order == .orderedSame ? lhs < rhs : order == .orderedAscending
        }
        for report in reports {
            let reportNotes = byReport[report]!.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
            let first = reportNotes[0]
            let title = first.reportTitle.map { MarkdownText.inline($0) } ?? "Report not yet received"
            lines += ["## \(title) (\(first.reportReference ?? String(report.rawValue.prefix(8))))", ""]
            let anchored = reportNotes.filter { $0.placement != "orphaned" && $0.sectionReference != nil }
            let orphaned = reportNotes.filter { $0.placement == "orphaned" || $0.sectionReference == nil }
            let sections = Dictionary(grouping: anchored) { $0.sectionReference ?? "" }
            for reference in sections.keys.sorted(by: { outlineOrder($0, $1) }) {
                let sectionNotes = sections[reference]!
                let heading = sectionNotes[0].heading.isEmpty ? "(preamble)" : MarkdownText.inline(sectionNotes[0].heading)
                lines += ["### \(reference) \(heading)", ""]
                for note in sectionNotes { lines += MarkdownText.blockQuote(paragraph(note)) + [""] }
            }
            guard !orphaned.isEmpty else { continue }
            lines += ["### Orphaned notes", ""]
            for note in orphaned {
                let place = note.sectionReference.map { "in \($0) " + (note.heading.isEmpty ? "(preamble)" : note.heading) }
                    ?? "its section is no longer in the report"
                lines += MarkdownText.blockQuote(paragraph(note, orphanedFrom: place)) + [""]
            }
        }
        if notes.isEmpty { lines += ["No notes yet.", ""] }
        return lines.joined(separator: "\n")
    }

    /// Document order of two section references of one report: `3f9a/2.10` after `3f9a/2.9`.
    static func outlineOrder(_ lhs: String, _ rhs: String) -> Bool {
        let left = lhs.split(separator: "/").last.map(String.init) ?? lhs
        let right = rhs.split(separator: "/").last.map(String.init) ?? rhs
        let leftParts = left.split(separator: ".").map { Int($0) ?? 0 }
        let rightParts = right.split(separator: ".").map { Int($0) ?? 0 }
        return leftParts.lexicographicallyPrecedes(rightParts)
    }

    private static func paragraph(_ note: NoteEntry, orphanedFrom place: String? = nil) -> String {
        var markers = [note.createdAt.iso8601]
        if let place { markers.append("orphaned; was \(place)") }
        if let from = note.movedFromReference { markers.append("moved from \(from)") }
        if note.conflicted { markers.append(note.deleted ? "in conflict; the side shown deleted it" : "in conflict") }
        let quote = note.quote.map { "“\($0)” — " } ?? ""
        return "**\(MarkdownText.inline(note.author))** (\(markers.joined(separator: "; "))): \(quote)\(note.text)"
    }
}
