import GRDB
import MarginCore

/// Keeps each annotation's placement (`anchor_status`, `placed_start`, `placed_end`) in step with its section's
/// current text. Placement is derived, not written as revisions, so every peer computes the same result from the
/// same report and annotation revisions.
enum AnchorPlacer {
    /// Where an annotation body sits in its section's current text: nil for an unanchored note on a section that
    /// exists, `orphaned` when the quote cannot be placed or the section is gone from a report that is present.
    static func placement(of body: AnnotationBody, _ db: Database) throws -> AnchorPlacement? {
        if let anchor = body.anchor {
            if let sectionText = try db.cachedStatement(sql: "SELECT text FROM section WHERE id = ?")
                .first([.text(body.section.rawValue)], { $0.text(0) ?? "" })
            {
                return Reanchoring.place(anchor, in: sectionText)
            }
        } else if try db.cachedStatement(sql: "SELECT 1 FROM section WHERE id = ?")
            .first([.text(body.section.rawValue)], { _ in true }) == true
        {
            return nil
        }
        // A report not yet received (a sync in progress) is no reason to call a note orphaned.
        let reportPresent = try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT 1 FROM report WHERE id = ?"), arguments: [body.report.rawValue]) ?? false
        return reportPresent ? .orphaned : nil
    }

    /// Re-places every annotation of a report, after the report's text changed. The `annotation` rows already
    /// hold each record's current (possibly merged) anchor.
    static func placeAnnotations(ofReport report: RecordID, _ db: Database) throws {
        let rows = try Row.fetchAll(
            db.cachedStatement(sql: """
                SELECT id, report_id, section_id, quote, quote_prefix, quote_suffix, quote_start, quote_end
                FROM annotation WHERE report_id = ?
                """),
            arguments: [report.rawValue])
        let update = try db.cachedStatement(
            sql: "UPDATE annotation SET anchor_status = ?, placed_start = ?, placed_end = ? WHERE id = ?")
        for row in rows {
            let quote: String? = row["quote"]
            let anchor = quote.map { quote in
                TextAnchor(
                    quote: quote, prefix: row["quote_prefix"] ?? "", suffix: row["quote_suffix"] ?? "",
                    start: row["quote_start"] ?? 0, end: row["quote_end"] ?? 0)
            }
            let body = AnnotationBody(
                report: RecordID(rawValue: row["report_id"]), section: SectionID(rawValue: row["section_id"]), text: "",
                anchor: anchor)
            let placement = try placement(of: body, db)
            try update.execute(arguments: [placement?.status, placement?.span?.start, placement?.span?.end, row["id"]])
        }
    }
}
