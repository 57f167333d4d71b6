import GRDB
import MarginCore

/// The two full-text indexes of section text, which hold no copy of it (see the v14 migration): the trigram index
/// `section_fts` reads `section`'s own columns, and the one-token-per-character index `section_characters` keeps
/// nothing but its tokens. FTS5 removes an entry of such an index only when given the text the entry was made
/// from, so entries are removed while `section` still holds that text.
enum SectionIndexes {
    /// Removes the index entries of every section of `report`; call before its `section` rows are deleted.
    ///
    /// One single-row statement per entry, never `INSERT … SELECT` or a `DELETE … WHERE rowid IN (…)`: a statement
    /// that may change several rows of a virtual table opens a statement savepoint, and FTS5 writes all its pending
    /// changes to disk at every savepoint, so an import of many reports would write the index once per report.
    static func remove(report: RecordID, _ db: Database) throws {
        let removeTrigrams = try db.cachedStatement(sql: """
            INSERT INTO section_fts (section_fts, rowid, heading, text) VALUES ('delete', ?, ?, ?)
            """)
        let removeCharacters = try db.cachedStatement(sql: """
            INSERT INTO section_characters (section_characters, rowid, heading, text) VALUES ('delete', ?, ?, ?)
            """)
        let rows = try Row.fetchAll(
            db, sql: "SELECT rowid, heading, text FROM section WHERE report_id = ?", arguments: [report.rawValue])
        for row in rows {
            let rowid: Int64 = row["rowid"]
            let heading: String = row["heading"]
            let text: String = row["text"]
            try removeTrigrams.execute(arguments: [rowid, heading, text])
            try removeCharacters.execute(arguments: [rowid, CharacterIndex.spaced(heading), CharacterIndex.spaced(text)])
        }
    }
}
