import GRDB
import MarginCore

/// The two full-text indexes of section text, which hold no copy of it (see the v14 migration): the trigram index
/// `section_fts` reads `section`'s own columns, and the one-token-per-character index `section_characters` keeps
/// nothing but its tokens. FTS5 removes an entry of such an index only when given the text the entry was made
/// from, so entries are removed while `section` still holds that text.
enum SectionIndexes {
    /// Removes the index entries of every section of `report`; call before its `section` rows are deleted.
    static func remove(report: RecordID, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO section_fts (section_fts, rowid, heading, text)
                SELECT 'delete', rowid, heading, text FROM section WHERE report_id = ?
                """,
            arguments: [report.rawValue])
        let removeCharacters = try db.cachedStatement(sql: """
            INSERT INTO section_characters (section_characters, rowid, heading, text) VALUES ('delete', ?, ?, ?)
            """)
        let rows = try Row.fetchCursor(
            db, sql: "SELECT rowid, heading, text FROM section WHERE report_id = ?", arguments: [report.rawValue])
        while let row = try rows.next() {
            try removeCharacters.execute(arguments: [
                row["rowid"], CharacterIndex.spaced(row["heading"]), CharacterIndex.spaced(row["text"]),
            ])
        }
    }
}
