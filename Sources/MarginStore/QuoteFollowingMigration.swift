import GRDB
import MarginCore

/// Schema v23: a note follows its quote into another section of its report (see ``QuoteFollowing``).
///
/// - `moved_from_section_id`: the section the note's revision names, when its quote is now in another section
///   (`section_id` then holds that section, where the note is shown); NULL otherwise.
/// - `anchor_candidates`: for an orphaned note whose quote is in several other sections, those sections (identities
///   in report order, separated by spaces); NULL otherwise.
///
/// Notes that were placed before this version stay as they were unless their quote had left their section: those
/// (orphaned or approximately placed) are placed again, as every peer that materializes the same revisions now does.
enum QuoteFollowingMigration {
    static let identifier = "v23-notes-follow-their-quotes"

    static func migrate(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE annotation ADD COLUMN moved_from_section_id TEXT;
            ALTER TABLE annotation ADD COLUMN anchor_candidates TEXT;
            """)
        let reports = try String.fetchAll(db, sql: """
            SELECT DISTINCT report_id FROM annotation
            WHERE anchor_status IN ('orphaned', 'approximate') AND quote IS NOT NULL ORDER BY report_id
            """)
        for report in reports { try AnchorPlacer.placeAnnotations(ofReport: RecordID(rawValue: report), db) }
    }
}
