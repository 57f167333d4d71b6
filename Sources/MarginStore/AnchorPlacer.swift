import GRDB
import MarginCore

/// Keeps each annotation's placement (`anchor_status`, `placed_start`, `placed_end`) in step with its section's
/// current text. Placement is derived, not written as revisions, so every peer computes the same result from the
/// same report and annotation revisions.
enum AnchorPlacer {
    /// Re-places every annotation of a report, after the report's text changed.
    static func placeAnnotations(ofReport report: RecordID, _ db: Database) throws {
        let ids = try String.fetchAll(db, sql: "SELECT id FROM annotation WHERE report_id = ?", arguments: [report.rawValue])
        for id in ids { try place(annotation: RecordID(rawValue: id), db) }
    }

    /// Places one annotation in its section's current text.
    static func place(annotation: RecordID, _ db: Database) throws {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT annotation.quote, annotation.quote_prefix, annotation.quote_suffix, annotation.quote_start,
                annotation.quote_end, section.text AS section_text, report.id AS report_present
            FROM annotation LEFT JOIN section ON section.id = annotation.section_id
            LEFT JOIN report ON report.id = annotation.report_id
            WHERE annotation.id = ?
            """, arguments: [annotation.rawValue])
        else { return }
        let sectionText: String? = row["section_text"]
        let reportPresent: String? = row["report_present"]
        let placement: AnchorPlacement?
        if let quote: String = row["quote"] {
            let anchor = TextAnchor(
                quote: quote, prefix: row["quote_prefix"] ?? "", suffix: row["quote_suffix"] ?? "",
                start: row["quote_start"] ?? 0, end: row["quote_end"] ?? 0)
            placement = sectionText.map { Reanchoring.place(anchor, in: $0) } ?? .orphaned
        } else {
            // An unanchored note is orphaned only when its section disappeared from a report that is present;
            // a report not yet received (sync in progress) is no reason to call it orphaned.
            placement = sectionText == nil && reportPresent != nil ? .orphaned : nil
        }
        try db.execute(
            sql: "UPDATE annotation SET anchor_status = ?, placed_start = ?, placed_end = ? WHERE id = ?",
            arguments: [placement?.status, placement?.span?.start, placement?.span?.end, annotation.rawValue])
    }
}
