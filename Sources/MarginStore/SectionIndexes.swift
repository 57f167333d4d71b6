import GRDB
import MarginCore

/// The full-text index of section text, which holds no copy of it (see the v14 and v16 migrations): the
/// one-token-per-character index `section_characters` (``CharacterIndex``) keeps nothing but its tokens, and an
/// entry is removed by giving the text it was made from, which `section` still shows.
///
/// Materializing a report (on import, edit or sync) writes its sections and lists the report in
/// `section_index_pending`; the first search after it indexes every listed report in one transaction
/// (``catchUp(_:)``). Imports and syncs, which write far more often than people search, then pay nothing for
/// indexing, and the index is written to disk once per catch-up instead of once per report. A store that cannot
/// be written (read-only) searches by substring while reports wait (``hasPending(_:)``).
enum SectionIndexes {
    /// Lists `report` as waiting for its sections to be indexed.
    static func markPending(report: RecordID, _ db: Database) throws {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO section_index_pending (report_id) VALUES (?)")
            .execute(arguments: [report.rawValue])
    }

    /// Takes `report` off the waiting list (a removed report is not indexed); call after ``remove(report:_:)``,
    /// which reads the list to know whether the report has entries.
    static func unmarkPending(report: RecordID, _ db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM section_index_pending WHERE report_id = ?")
            .execute(arguments: [report.rawValue])
    }

    /// Whether some report's sections are not in the index yet.
    static func hasPending(_ db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM section_index_pending)") ?? false
    }

    /// Indexes the sections of every waiting report, and empties the list.
    ///
    /// Sections are indexed in ascending rowid order, all reports together: FTS5 keeps a transaction's entries in
    /// memory and writes them as one segment only while rowids ascend, and a lower rowid first writes what it holds
    /// as a segment of its own. Report by report, the seeds' catch-up wrote several segments, merged them into a
    /// new one, and left the store a third larger in free pages.
    static func catchUp(_ db: Database) throws {
        guard try hasPending(db) else { return }
        let insertCharacters = try db.cachedStatement(
            sql: "INSERT INTO section_characters (rowid, heading, text) VALUES (?, ?, ?)")
        let rows = try Row.fetchCursor(db, sql: """
            SELECT rowid, heading, text FROM section
            WHERE report_id IN (SELECT report_id FROM section_index_pending) ORDER BY rowid
            """)
        while let row = try rows.next() {
            try insertCharacters.execute(arguments: [
                row["rowid"], CharacterIndex.spaced(row["heading"]), CharacterIndex.spaced(row["text"]),
            ])
        }
        try db.execute(sql: "DELETE FROM section_index_pending")
    }

    /// Removes the index entries of every section of `report`; call before its sections are deleted and before its
    /// report row moves to another revision (`section` reads the text from that revision). A report still waiting
    /// to be indexed has none.
    ///
    /// One single-row statement per entry, never `INSERT … SELECT` or a `DELETE … WHERE rowid IN (…)`: a statement
    /// that may change several rows of a virtual table opens a statement savepoint, and FTS5 writes all its pending
    /// changes to disk at every savepoint, so an import of many reports would write the index once per report.
    static func remove(report: RecordID, _ db: Database) throws {
        let waiting = try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM section_index_pending WHERE report_id = ?)"),
            arguments: [report.rawValue]) ?? false
        if waiting { return }
        let removeCharacters = try db.cachedStatement(sql: """
            INSERT INTO section_characters (section_characters, rowid, heading, text) VALUES ('delete', ?, ?, ?)
            """)
        try forEachSection(of: report.rawValue, db) { rowid, heading, text in
            try removeCharacters.execute(arguments: [rowid, CharacterIndex.spaced(heading), CharacterIndex.spaced(text)])
        }
    }

    /// Calls `body` with the rowid, heading and text of each section of `report`, read as the index was given them.
    private static func forEachSection(
        of report: String, _ db: Database, _ body: (Int64, String, String) throws -> Void
    ) throws {
        let rows = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT rowid, heading, text FROM section WHERE report_id = ? ORDER BY rowid"),
            arguments: [report])
        for row in rows { try body(row["rowid"], row["heading"], row["text"]) }
    }
}
