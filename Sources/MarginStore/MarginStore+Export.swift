import GRDB
import MarginCore

/// A report with all its sections, tags and annotations, for `margin export`.
///
/// In JSON: `id` and `reference` name the report; every section is a ``SectionDetail`` whose annotations include
/// orphaned ones (their `placement` is `orphaned`); `notesOnRemovedSections` holds the live notes whose section is
/// no longer in the report.
public struct ReportExport: Sendable, Codable, Equatable {
    /// The report identity.
    public var id: RecordID
    /// The report's short identity, e.g. `3f9a` (`reference` in JSON).
    public var shortID: String
    /// The report title.
    public var title: String
    /// The revision exported.
    public var revision: RevisionID
    /// Every section, in document order, with its text, tags and live annotations.
    public var sections: [SectionDetail]
    /// Live annotations whose section is no longer in the report (they are orphaned), oldest first.
    public var notesOnRemovedSections: [AnnotationView]

    enum CodingKeys: String, CodingKey {
        case id, shortID = "reference", title, revision, sections, notesOnRemovedSections
    }

    /// The report as Markdown.
    ///
    /// The title is the only level-1 heading; each section's heading is one level deeper than the heading of the
    /// section it belongs to, so no level is skipped even where the report's numbering skips one. Under a heading
    /// come its tags, its text, then its notes as block quotes (every line of a note inside the quote). Notes
    /// whose quote is no longer in the text, or whose section is gone, are not shown as anchored: they are listed
    /// last, under "Orphaned notes", with the quote they had.
    public func markdown() -> String {
        var lines = ["# \(title)", ""]
        let levels = Self.headingLevels(sections.map(\.level))
        var orphaned: [(AnnotationView, SectionDetail?)] = []
        for (section, level) in zip(sections, levels) {
            if let level {
                lines += [String(repeating: "#", count: level) + " " + MarkdownText.inline(section.label + section.heading), ""]
            }
            if !section.tags.isEmpty { lines += ["Tags: " + section.tags.map { "#\($0)" }.joined(separator: " "), ""] }
            lines += Self.bodyLines(of: section, headed: level != nil).flatMap { [MarkdownText.line($0), ""] }
            for annotation in section.annotations {
                if annotation.placement == "orphaned" {
                    orphaned.append((annotation, section))
                } else {
                    lines += MarkdownText.blockQuote(Self.noteParagraph(annotation)) + [""]
                }
            }
        }
        orphaned += notesOnRemovedSections.map { ($0, nil) }
        if !orphaned.isEmpty {
            lines += ["## Orphaned notes", ""]
            lines += [
                "Their quotes are no longer in the report's text; re-attach one with "
                    + "`margin annotate --reanchor NOTE --quote \"…\"`, or place it on a section that holds its quote "
                    + "with `margin annotate --reanchor NOTE --section SECTION`.", "",
            ]
            for (annotation, section) in orphaned {
                let place = section.map { "in \($0.reference) " + ($0.level == 0 ? "(preamble)" : $0.label + $0.heading) }
                    ?? "its section is no longer in the report"
                lines += MarkdownText.blockQuote(Self.noteParagraph(annotation, orphanedFrom: place)) + [""]
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The lines of a section's text under its Markdown heading. A section's text begins with its heading line;
    /// when that line is the heading alone (give or take a closing `。` or `：`), the Markdown heading already says
    /// it, and it is left out. A heading run into its text ("（二）高考取得突破。文理科……") keeps its line.
    static func bodyLines(of section: SectionDetail, headed: Bool) -> [String] {
        var lines = section.text.components(separatedBy: "\n")
        guard headed, let first = lines.first else { return lines }
        let heading = (section.label + section.heading).trimmingWhiteSpace()
        var line = first.trimmingWhiteSpace()
        if let last = line.last, "。：:".contains(last) { line.removeLast() }
        if !heading.isEmpty, line == heading {
            lines.removeFirst()
            if lines.first?.trimmingWhiteSpace().isEmpty == true { lines.removeFirst() }
        }
        return lines
    }

    /// The Markdown heading level of each section (nil for the preamble, which has no heading): the title is
    /// level 1, and a section is one level below the nearest section before it with a smaller outline level.
    /// Levels are consecutive however the report's own levels skip (a report using levels 1 and 3 gets 2 and 3),
    /// and never deeper than Markdown's 6.
    static func headingLevels(_ outlineLevels: [Int]) -> [Int?] {
        var open: [Int] = []
        return outlineLevels.map { level in
            guard level > 0 else { return nil }
            while let last = open.last, last >= level { open.removeLast() }
            open.append(level)
            return min(6, open.count + 1)
        }
    }

    /// One note as the text of a block quote: author, markers, the quote it is on, then its text.
    static func noteParagraph(_ annotation: AnnotationView, orphanedFrom place: String? = nil) -> String {
        var markers: [String] = []
        if let place { markers.append("orphaned; was \(place)") }
        if !annotation.candidateReferences.isEmpty {
            markers.append("its quote is in \(annotation.candidateReferences.joined(separator: ", "))")
        }
        if annotation.movedFrom != nil {
            markers.append("moved from \(annotation.movedFromReference ?? "a section no longer in the report")")
        }
        if annotation.conflicted { markers.append("in conflict") }
        let marker = markers.isEmpty ? "" : " (" + markers.joined(separator: "; ") + ")"
        let quote = annotation.anchor.map { "“\($0.quote)” — " } ?? ""
        return "**\(MarkdownText.inline(annotation.author))**\(marker): \(quote)\(annotation.text)"
    }
}

/// Writing plain text into Markdown without changing the document's structure.
enum MarkdownText {
    /// A line of body text: a leading `#` or `>` is escaped, so the line cannot become a heading or a quote.
    static func line(_ text: String) -> String {
        guard let first = text.first, first == "#" || first == ">" else { return text }
        return "\\" + text
    }

    /// Text for a heading or another single line: line breaks become spaces.
    static func inline(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ")
            .replacingOccurrences(of: "\r", with: " ")
    }

    /// Every line of `text` inside one block quote. Consecutive lines end with a backslash (a hard line break),
    /// so that the note's lines stay lines when the Markdown is rendered; an empty line stays a bare `>`.
    static func blockQuote(_ text: String) -> [String] {
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n").map(line)
        return lines.indices.map { index in
            let content = lines[index]
            guard !content.isEmpty else { return ">" }
            let nextIsText = index + 1 < lines.count && !lines[index + 1].isEmpty
            return "> " + content + (nextIsText ? "\\" : "")
        }
    }
}

extension MarginStore {
    /// Everything about one report.
    public func export(_ reference: String) throws -> ReportExport {
        try read { db in
            let resolved = try Self.resolve(reference, db)
            guard case let .report(id) = resolved else {
                throw MarginStoreError(.wrongReferenceKind(reference, expected: "report", actual: resolved.kindName))
            }
            let outline = try Self.outline(id, db)
            let sections = try outline.sections.map { try Self.sectionDetail($0.id, db) }
            let length = try ShortIdentifiers.length(db)
            let removed = try Row.fetchAll(db, sql: """
                SELECT * FROM annotation WHERE report_id = ? AND deleted = 0
                AND NOT EXISTS (SELECT 1 FROM section WHERE section.id = annotation.section_id)
                ORDER BY created_at, id
                """, arguments: [id.rawValue]
            ).map { Self.annotationView($0, shortLength: length) }
            return ReportExport(
                id: id, shortID: outline.shortID, title: outline.title, revision: outline.revision, sections: sections,
                notesOnRemovedSections: removed)
        }
    }
}
