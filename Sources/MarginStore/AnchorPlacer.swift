import GRDB
import MarginCore

/// Keeps each annotation's placement (`anchor_status`, `placed_start`, `placed_end`, and the section it is shown
/// on) in step with its report's current text. Placement is derived, not written as revisions, so every peer
/// computes the same result from the same report and annotation revisions.
///
/// A note whose quote moved into another section follows it there (see ``QuoteFollowing``): its row's
/// `section_id` becomes that section and `moved_from_section_id` keeps the section its revision names. A note whose
/// quote is in several other sections stays orphaned, with those sections in `anchor_candidates`.
enum AnchorPlacer {
    /// Where a note is shown and how its quote sits there.
    struct Placement: Equatable {
        /// `exact`, `moved`, `approximate`, `relocated` or `orphaned`; nil for an unanchored note on a section that
        /// exists, or a note on a report not yet received.
        var status: String?
        var start: Int?
        var end: Int?
        /// The section the note is shown on: its own, or the one its quote moved to.
        var section: SectionID
        /// The section its revision names, when the note followed its quote elsewhere.
        var movedFrom: SectionID?
        /// The sections that hold its quote, when there are several and the note stays orphaned.
        var candidates: [SectionID] = []

        /// `anchor_candidates` as stored: section identities in report order, separated by spaces.
        var storedCandidates: String? { candidates.isEmpty ? nil : candidates.map(\.rawValue).joined(separator: " ") }
    }

    /// The sections `anchor_candidates` lists.
    static func candidates(_ stored: String?) -> [SectionID] {
        (stored ?? "").split(separator: " ").map { SectionID(rawValue: String($0)) }
    }

    /// Reads the sections of one report once, for however many of its notes need them.
    final class ReportSections {
        private let report: RecordID
        private var loaded: [QuoteFollowing.Section]?

        init(_ report: RecordID) { self.report = report }

        func all(_ db: Database) throws -> [QuoteFollowing.Section] {
            if let loaded { return loaded }
            let sections = try Row.fetchAll(
                db.cachedStatement(sql: "SELECT id, text FROM section WHERE report_id = ? ORDER BY position"),
                arguments: [report.rawValue]
            ).map { QuoteFollowing.Section(id: SectionID(rawValue: $0["id"]), text: $0["text"] ?? "") }
            loaded = sections
            return sections
        }
    }

    /// Where an annotation body sits in its report's current text.
    ///
    /// Only a note with a quote reads its section's text: the text comes out of the report revision's body (see
    /// ``SectionTextStorage``), and reading it for each of the 600,000 notes of a first pull, which mostly quote
    /// nothing, took the pull from 45 to 125 s.
    static func placement(of body: AnnotationBody, sections: ReportSections? = nil, _ db: Database) throws -> Placement {
        guard let anchor = body.anchor else {
            let sectionPresent = try db.cachedStatement(sql: "SELECT 1 FROM section WHERE id = ?")
                .first([.text(body.section.rawValue)], { _ in true }) ?? false
            if sectionPresent { return Placement(section: body.section) }
            return Placement(
                status: try reportPresent(body.report, db) ? AnchorPlacement.orphaned.status : nil, section: body.section)
        }
        let own = try db.cachedStatement(sql: "SELECT text FROM section WHERE id = ?")
            .first([.text(body.section.rawValue)], { $0.text(0) ?? "" })
        let sections = sections ?? ReportSections(body.report)
        if own == nil, try !reportPresent(body.report, db) {
            // A report not yet received (a sync in progress) is no reason to call a note orphaned.
            return Placement(section: body.section)
        }
        let placed = try QuoteFollowing.place(anchor, ownSection: body.section, ownText: own) { try sections.all(db) }
        return Placement(
            status: placed.status, start: placed.span?.start, end: placed.span?.end,
            section: placed.relocatedSection ?? body.section,
            movedFrom: placed.relocatedSection == nil ? nil : body.section, candidates: placed.candidates)
    }

    private static func reportPresent(_ report: RecordID, _ db: Database) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM report WHERE id = ?"), arguments: [report.rawValue])
            ?? false
    }

    /// Re-places every annotation of a report, after the report's text changed. The `annotation` rows already
    /// hold each record's current (possibly merged) anchor; the section its revision names is
    /// `moved_from_section_id` when set, else `section_id`.
    static func placeAnnotations(ofReport report: RecordID, _ db: Database) throws {
        let rows = try Row.fetchAll(
            db.cachedStatement(sql: """
                SELECT id, report_id, COALESCE(moved_from_section_id, section_id) AS own_section, quote, quote_prefix,
                    quote_suffix, quote_start, quote_end
                FROM annotation WHERE report_id = ?
                """),
            arguments: [report.rawValue])
        let update = try db.cachedStatement(sql: """
            UPDATE annotation SET anchor_status = ?, placed_start = ?, placed_end = ?, section_id = ?,
                moved_from_section_id = ?, anchor_candidates = ?
            WHERE id = ?
            """)
        let sections = ReportSections(report)
        for row in rows {
            let quote: String? = row["quote"]
            let anchor = quote.map { quote in
                TextAnchor(
                    quote: quote, prefix: row["quote_prefix"] ?? "", suffix: row["quote_suffix"] ?? "",
                    start: row["quote_start"] ?? 0, end: row["quote_end"] ?? 0)
            }
            let body = AnnotationBody(
                report: RecordID(rawValue: row["report_id"]), section: SectionID(rawValue: row["own_section"]), text: "",
                anchor: anchor)
            let placement = try placement(of: body, sections: sections, db)
            try update.execute(arguments: [
                placement.status, placement.start, placement.end, placement.section.rawValue,
                placement.movedFrom?.rawValue, placement.storedCandidates, row["id"],
            ])
        }
    }
}
