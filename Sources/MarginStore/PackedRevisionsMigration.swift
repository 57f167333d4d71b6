import GRDB

/// Schema v18: a store about a third smaller (`stored_revision`, `revision` view, section index by text first).
///
/// - Revision bodies are kept packed where zlib makes them smaller (``StoredBody``). Revisions move to the table
///   `stored_revision`, whose `body` column holds text or a packed BLOB, and `revision` becomes a view with the
///   same columns as the table had, its `body` always text: every reader, and the `section` and `change_log`
///   views, read as before. The table is copied row for row, each body packed on the way (`revision_pack`).
/// - The character index lists the text column first. FTS5 marks every token list of a column other than the
///   first with that column's number: with the heading first, the mark was written for every character of every
///   section's text, a third of the index. The index is emptied, and every report waits to be indexed again
///   (`section_index_pending`): the next search indexes them all in one pass.
/// - The character index holds up to ``indexBufferBytes`` of new entries in memory before writing them (FTS5's
///   `hashsize`, 1 MiB by default). A catch-up after a large import (20,000 reports: 30 MB of index) then writes one
///   segment instead of thirty that FTS5 goes on to merge, which left 3.7 MB of that store's file in free pages. It
///   costs the catch-up's process that much more memory (peak 60 → 95 MB there).
///
/// An index by record that a stopped bulk load left out stays out; the load's end builds it.
enum PackedRevisionsMigration {
    static let identifier = "v18-packed-bodies-and-a-smaller-section-index"

    static func migrate(_ db: Database) throws {
        let hadRecordIndex = try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ?)",
            arguments: [BulkLoad.recordIndex.name]) ?? false
        try db.execute(sql: """
            DROP VIEW change_log;
            DROP VIEW section;
            CREATE TABLE stored_revision (
                seq INTEGER PRIMARY KEY,
                id TEXT NOT NULL,
                record_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                parents TEXT NOT NULL,
                origin TEXT NOT NULL,
                counter INTEGER NOT NULL,
                clock INTEGER NOT NULL,
                author TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                -- The body's text, or its packed form (see StoredBody); BLOB affinity converts neither.
                body BLOB NOT NULL,
                source TEXT NOT NULL,
                logged_at INTEGER NOT NULL,
                UNIQUE (origin, counter)
            );
            INSERT INTO stored_revision (
                seq, id, record_id, kind, parents, origin, counter, clock, author, created_at, body, source, logged_at)
            SELECT seq, id, record_id, kind, parents, origin, counter, clock, author, created_at, revision_pack(body),
                source, logged_at
            FROM revision ORDER BY seq;
            DROP TABLE revision;
            \(BulkLoad.identityIndex.create);
            CREATE TRIGGER revision_is_immutable BEFORE UPDATE ON stored_revision
            BEGIN SELECT RAISE(ABORT, 'revisions are immutable'); END;
            CREATE TRIGGER revision_is_kept BEFORE DELETE ON stored_revision
            BEGIN SELECT RAISE(ABORT, 'revisions are never deleted'); END;
            \(viewSQL);
            CREATE VIEW change_log AS SELECT seq, id AS revision_id, source, logged_at FROM stored_revision;
            \(SectionTextStorage.viewSQL);

            DROP TABLE section_characters;
            CREATE VIRTUAL TABLE section_characters USING fts5(
                text, heading, tokenize = 'unicode61 remove_diacritics 0', content = '');
            INSERT INTO section_characters (section_characters, rank) VALUES ('hashsize', \(indexBufferBytes));
            INSERT OR IGNORE INTO section_index_pending (report_id) SELECT id FROM report;
            """)
        if hadRecordIndex { try db.execute(sql: BulkLoad.recordIndex.create) }
    }

    /// How many bytes of new entries the character index holds in memory before it writes a segment.
    static let indexBufferBytes = 32 * 1024 * 1024

    /// The `revision` view: every column of `stored_revision`, the body as text.
    static let viewSQL = """
        CREATE VIEW revision AS
        SELECT seq, id, record_id, kind, parents, origin, counter, clock, author, created_at,
            revision_body(body) AS body, source, logged_at
        FROM stored_revision
        """
}
