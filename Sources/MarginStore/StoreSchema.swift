import GRDB
import MarginCore

/// The store's schema, as named, append-only migrations. A shipped migration is never edited: add a new one.
enum StoreSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-revisions-and-change-log") { db in
            try db.execute(sql: """
                CREATE TABLE store_info (key TEXT PRIMARY KEY, value TEXT NOT NULL);

                -- Every revision the store knows, immutable.
                CREATE TABLE revision (
                    id TEXT PRIMARY KEY,
                    record_id TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    parents TEXT NOT NULL,
                    origin TEXT NOT NULL,
                    counter INTEGER NOT NULL,
                    clock INTEGER NOT NULL,
                    author TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    body TEXT NOT NULL,
                    UNIQUE (origin, counter)
                );
                CREATE INDEX revision_by_record ON revision(record_id);
                CREATE INDEX revision_by_clock ON revision(clock);

                -- The append-only change log: every revision learnt, in local order.
                CREATE TABLE change_log (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    revision_id TEXT NOT NULL UNIQUE REFERENCES revision(id),
                    source TEXT NOT NULL,
                    logged_at INTEGER NOT NULL
                );

                CREATE TRIGGER revision_is_immutable BEFORE UPDATE ON revision
                BEGIN SELECT RAISE(ABORT, 'revisions are immutable'); END;
                CREATE TRIGGER revision_is_kept BEFORE DELETE ON revision
                BEGIN SELECT RAISE(ABORT, 'revisions are never deleted'); END;
                CREATE TRIGGER change_log_is_append_only BEFORE UPDATE ON change_log
                BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;
                CREATE TRIGGER change_log_is_kept BEFORE DELETE ON change_log
                BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;

                -- Derived state, rebuilt from revisions: heads and current value of every record.
                CREATE TABLE record_head (
                    record_id TEXT NOT NULL,
                    revision_id TEXT NOT NULL,
                    PRIMARY KEY (record_id, revision_id)
                ) WITHOUT ROWID;
                CREATE TABLE record (
                    id TEXT PRIMARY KEY,
                    kind TEXT NOT NULL,
                    current_revision TEXT NOT NULL,
                    head_count INTEGER NOT NULL,
                    conflicted INTEGER NOT NULL
                );
                CREATE INDEX record_conflicted ON record(conflicted) WHERE conflicted = 1;
                """)
        }
        migrator.registerMigration("v2-materialized-reports-annotations-tags") { db in
            try db.execute(sql: """
                CREATE TABLE report (
                    id TEXT PRIMARY KEY,
                    title TEXT NOT NULL,
                    section_count INTEGER NOT NULL,
                    revision_id TEXT NOT NULL
                );
                CREATE TABLE section (
                    rowid INTEGER PRIMARY KEY,
                    id TEXT NOT NULL UNIQUE,
                    report_id TEXT NOT NULL,
                    position INTEGER NOT NULL,
                    outline TEXT NOT NULL,
                    level INTEGER NOT NULL,
                    label TEXT NOT NULL,
                    heading TEXT NOT NULL,
                    text TEXT NOT NULL,
                    parent_id TEXT
                );
                CREATE INDEX section_by_report ON section(report_id, position);
                CREATE TABLE annotation (
                    rowid INTEGER PRIMARY KEY,
                    id TEXT NOT NULL UNIQUE,
                    report_id TEXT NOT NULL,
                    section_id TEXT NOT NULL,
                    text TEXT NOT NULL,
                    quote TEXT,
                    quote_prefix TEXT,
                    quote_suffix TEXT,
                    quote_start INTEGER,
                    quote_end INTEGER,
                    author TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    deleted INTEGER NOT NULL,
                    conflicted INTEGER NOT NULL,
                    revision_id TEXT NOT NULL
                );
                CREATE INDEX annotation_by_section ON annotation(section_id);
                CREATE INDEX annotation_by_report ON annotation(report_id);
                CREATE TABLE section_tag (
                    section_id TEXT NOT NULL,
                    tag TEXT NOT NULL,
                    report_id TEXT NOT NULL,
                    PRIMARY KEY (section_id, tag)
                ) WITHOUT ROWID;
                CREATE INDEX section_tag_by_tag ON section_tag(tag);
                CREATE INDEX section_tag_by_report ON section_tag(report_id);

                -- Full-text search; trigram tokens work for Chinese, which has no spaces between words.
                CREATE VIRTUAL TABLE section_fts USING fts5(heading, text, tokenize = 'trigram');
                CREATE VIRTUAL TABLE annotation_fts USING fts5(text, tokenize = 'trigram');
                """)
        }
        migrator.registerMigration("v3-sync-vector-and-remotes") { db in
            try db.execute(sql: """
                -- The store's version vector: the highest counter held per origin, kept by a trigger so that
                -- sync reads it in O(origins) instead of scanning every revision.
                CREATE TABLE sync_vector (origin TEXT PRIMARY KEY, counter INTEGER NOT NULL) WITHOUT ROWID;
                INSERT INTO sync_vector (origin, counter) SELECT origin, MAX(counter) FROM revision GROUP BY origin;
                CREATE TRIGGER sync_vector_follows_revisions AFTER INSERT ON revision
                BEGIN
                    INSERT INTO sync_vector (origin, counter) VALUES (NEW.origin, NEW.counter)
                    ON CONFLICT(origin) DO UPDATE SET counter = MAX(counter, excluded.counter);
                END;

                -- The peers this store syncs with, and what each was last known to hold.
                CREATE TABLE remote (
                    name TEXT PRIMARY KEY,
                    url TEXT NOT NULL,
                    token TEXT,
                    server_peer TEXT,
                    server_vector TEXT NOT NULL DEFAULT '{}',
                    last_sync_at INTEGER,
                    added_at INTEGER NOT NULL
                );
                """)
        }
        migrator.registerMigration("v4-annotation-anchor-placement") { db in
            try db.execute(sql: """
                -- Where each anchored annotation sits in its section's current text, derived on every peer alike.
                ALTER TABLE annotation ADD COLUMN anchor_status TEXT;
                ALTER TABLE annotation ADD COLUMN placed_start INTEGER;
                ALTER TABLE annotation ADD COLUMN placed_end INTEGER;
                CREATE INDEX annotation_orphaned ON annotation(anchor_status) WHERE anchor_status = 'orphaned';
                """)
        }
        migrator.registerMigration("v5-character-index-for-short-queries") { db in
            // Trigrams cannot answer one- and two-character queries, which are common in Chinese (教育, 师资).
            // This second index holds each character as a token, so such a query is a phrase of adjacent tokens.
            try db.execute(sql: "CREATE VIRTUAL TABLE section_characters USING fts5(heading, text, tokenize = 'unicode61')")
            let insert = try db.makeStatement(sql: "INSERT INTO section_characters (rowid, heading, text) VALUES (?, ?, ?)")
            for row in try Row.fetchAll(db, sql: "SELECT rowid, heading, text FROM section") {
                try insert.execute(arguments: [
                    row["rowid"], CharacterIndex.spaced(row["heading"]), CharacterIndex.spaced(row["text"]),
                ])
            }
        }
        migrator.registerMigration("v6-sync-vector-kept-by-the-ledger") { db in
            // The vector was kept by a trigger on `revision`. A statement that fires a trigger runs in its own
            // savepoint, and FTS5 writes its pending index changes to disk at every savepoint: each received
            // revision flushed the annotation index, which made receiving several times slower. The ledger now
            // advances the vector itself (once per received page), together with the highest Lamport clock per
            // origin, which a new local revision needs and which no longer takes an index on every revision.
            try db.execute(sql: """
                DROP TRIGGER sync_vector_follows_revisions;
                ALTER TABLE sync_vector ADD COLUMN clock INTEGER NOT NULL DEFAULT 0;
                UPDATE sync_vector SET clock = (SELECT MAX(clock) FROM revision WHERE origin = sync_vector.origin);
                DROP INDEX revision_by_clock;
                """)
        }
        migrator.registerMigration("v7-kept-short-identity-length-and-covering-report-counts") { db in
            // After a large sync a store holds tens of thousands of annotations: scanning every identity for the
            // short-identity length, and reading every annotation row to count a report's notes, made each
            // listing slow. The length is now kept (see `ShortIdentifiers`), and the per-report index carries the
            // two flags the counts read.
            try db.execute(sql: """
                DROP INDEX annotation_by_report;
                CREATE INDEX annotation_by_report ON annotation(report_id, deleted, conflicted);
                """)
            try ShortIdentifiers.keep(try ShortIdentifiers.scannedLength(db), db)
        }
        migrator.registerMigration("v8-change-log-in-revisions-and-heads-in-records") { db in
            // Receiving was dominated by index upkeep: every revision went into three tables keyed by random
            // 64-character identities. The change log is now the revision table's own sequence (`seq`, with
            // where the revision came from and when it was learnt), so learning a revision is one row; the
            // `change_log` view keeps the log readable as before. A record's heads are a column of the record,
            // which the materializer writes anyway, instead of rows of a table of their own.
            try db.execute(sql: """
                CREATE TABLE revision_v8 (
                    seq INTEGER PRIMARY KEY,
                    id TEXT NOT NULL UNIQUE,
                    record_id TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    parents TEXT NOT NULL,
                    origin TEXT NOT NULL,
                    counter INTEGER NOT NULL,
                    clock INTEGER NOT NULL,
                    author TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    body TEXT NOT NULL,
                    source TEXT NOT NULL,
                    logged_at INTEGER NOT NULL,
                    UNIQUE (origin, counter)
                );
                INSERT INTO revision_v8 (
                    seq, id, record_id, kind, parents, origin, counter, clock, author, created_at, body, source,
                    logged_at)
                SELECT change_log.seq, revision.id, revision.record_id, revision.kind, revision.parents,
                    revision.origin, revision.counter, revision.clock, revision.author, revision.created_at,
                    revision.body, change_log.source, change_log.logged_at
                FROM change_log JOIN revision ON revision.id = change_log.revision_id ORDER BY change_log.seq;
                DROP TABLE change_log;
                DROP TABLE revision;
                ALTER TABLE revision_v8 RENAME TO revision;
                CREATE INDEX revision_by_record ON revision(record_id);
                CREATE TRIGGER revision_is_immutable BEFORE UPDATE ON revision
                BEGIN SELECT RAISE(ABORT, 'revisions are immutable'); END;
                CREATE TRIGGER revision_is_kept BEFORE DELETE ON revision
                BEGIN SELECT RAISE(ABORT, 'revisions are never deleted'); END;
                CREATE VIEW change_log AS SELECT seq, id AS revision_id, source, logged_at FROM revision;

                ALTER TABLE record ADD COLUMN heads TEXT NOT NULL DEFAULT '[]';
                """)
            var heads: [String: [RevisionID]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT record_id, revision_id FROM record_head ORDER BY revision_id") {
                heads[row["record_id"], default: []].append(RevisionID(rawValue: row["revision_id"]))
            }
            let update = try db.makeStatement(sql: "UPDATE record SET heads = ? WHERE id = ?")
            for (record, list) in heads { try update.execute(arguments: [ParentList.encode(list), record]) }
            try db.execute(sql: "DROP TABLE record_head")
        }
        migrator.registerMigration("v9-report-title-order") { db in
            // Listing reports sorted their titles in the process (numbers by value), which read every report on
            // every `margin reports`. The sort key is now a column under an index, so a page of the listing is a
            // range of the index; see `TitleOrder`.
            try db.execute(sql: "ALTER TABLE report ADD COLUMN title_order TEXT NOT NULL DEFAULT ''")
            let update = try db.makeStatement(sql: "UPDATE report SET title_order = ? WHERE id = ?")
            for row in try Row.fetchAll(db, sql: "SELECT id, title FROM report") {
                try update.execute(arguments: [TitleOrder.key(for: row["title"]), row["id"]])
            }
            try db.execute(sql: "CREATE INDEX report_by_title_order ON report(title_order, id)")
        }
        migrator.registerMigration("v10-character-index-keeps-separators") { db in
            // The character index dropped punctuation and spaces, so `师资` matched `师，资` and counting a
            // two-character query meant reading every candidate's text. Every character that is not a letter or a
            // number is now a separator token (see `CharacterIndex.separator`), which makes the index exact for
            // ideographs: the index is rebuilt.
            try db.execute(sql: """
                DROP TABLE section_characters;
                CREATE VIRTUAL TABLE section_characters USING fts5(heading, text, tokenize = 'unicode61');
                """)
            let insert = try db.makeStatement(sql: "INSERT INTO section_characters (rowid, heading, text) VALUES (?, ?, ?)")
            let rows = try Row.fetchCursor(db, sql: "SELECT rowid, heading, text FROM section")
            while let row = try rows.next() {
                try insert.execute(arguments: [
                    row["rowid"], CharacterIndex.spaced(row["heading"]), CharacterIndex.spaced(row["text"]),
                ])
            }
        }
        migrator.registerMigration("v11-server-accounts") { db in
            // The accounts a sync server admits (`margin user add`). Only a SHA-256 of each token is kept, under a
            // unique index: the server finds the account of a presented token with one indexed lookup per request,
            // so a revocation holds from the next request, even on a running server. Revoked accounts are kept
            // (names are never reused) so that listings and logs stay unambiguous.
            try db.execute(sql: """
                CREATE TABLE account (
                    name TEXT PRIMARY KEY,
                    token_hash BLOB NOT NULL UNIQUE,
                    read_only INTEGER NOT NULL,
                    created_at INTEGER NOT NULL,
                    revoked_at INTEGER
                );
                """)
        }
        migrator.registerMigration("v12-report-sources") { db in
            // Report identities derived from the title alone merged two reports that share a title. Report bodies
            // now say which report of which file they came from (`ReportSource`), and an import finds its record
            // by that: these columns hold the current body's source under an index. No identity changes; bodies
            // written before have no source and are found by their old derived identity (`ReportIdentities`).
            try db.execute(sql: """
                ALTER TABLE report ADD COLUMN source_file TEXT;
                ALTER TABLE report ADD COLUMN source_title TEXT;
                ALTER TABLE report ADD COLUMN source_occurrence INTEGER;
                CREATE INDEX report_by_source ON report(source_file, source_title, source_occurrence)
                    WHERE source_file IS NOT NULL;
                """)
            // A peer that knew sources may already have sent some.
            let update = try db.makeStatement(
                sql: "UPDATE report SET source_file = ?, source_title = ?, source_occurrence = ? WHERE id = ?")
            let rows = try Row.fetchCursor(db, sql: """
                SELECT report.id, revision.body FROM report JOIN revision ON revision.id = report.revision_id
                WHERE instr(revision.body, '"source":') > 0
                """)
            while let row = try rows.next() {
                guard let body = try? BodyCoding.decode(ReportBody.self, from: row["body"], kind: .report),
                      let source = body.source else { continue }
                try update.execute(arguments: [source.file, source.title, source.occurrence, row["id"]])
            }
        }
        migrator.registerMigration("v13-remote-tokens-in-a-credentials-file") { db in
            // Remote tokens move out of the database into `<store>/credentials` (mode 0600), and a remote may name
            // a certificate to trust. The file is written before the column is cleared, in this transaction: if
            // either fails the migration rolls back with the tokens still in the table, and a rerun rewrites the
            // same tokens, so no token is lost.
            try db.execute(sql: "ALTER TABLE remote ADD COLUMN trusted_certificate TEXT")
            try StoreCredentials.moveRemoteTokensOutOfDatabase(db)
        }
        migrator.registerMigration("v14-search-indexes-keep-no-copy-of-the-text") { db in
            // Both section indexes kept their own copy of every section's text (the character index a spaced copy,
            // three times the text's bytes). The trigram index now reads the text from `section` (external
            // content), and the character index keeps none (contentless): an entry is removed by giving the text
            // it was made from, which `section` still holds. Both are rebuilt. Indexing also moves out of
            // materializing: reports waiting for it are listed in `section_index_pending`.
            try db.execute(sql: """
                DROP TABLE section_fts;
                CREATE VIRTUAL TABLE section_fts USING fts5(
                    heading, text, tokenize = 'trigram', content = 'section', content_rowid = 'rowid');
                INSERT INTO section_fts (section_fts) VALUES ('rebuild');
                DROP TABLE section_characters;
                CREATE VIRTUAL TABLE section_characters USING fts5(heading, text, tokenize = 'unicode61', content = '');

                -- Reports whose sections are not in the two indexes yet: materializing a report writes its sections
                -- only, and the first search after it indexes them (see `SectionIndexes`).
                CREATE TABLE section_index_pending (report_id TEXT PRIMARY KEY) WITHOUT ROWID;
                """)
            let insert = try db.makeStatement(sql: "INSERT INTO section_characters (rowid, heading, text) VALUES (?, ?, ?)")
            let rows = try Row.fetchCursor(db, sql: "SELECT rowid, heading, text FROM section")
            while let row = try rows.next() {
                try insert.execute(arguments: [
                    row["rowid"], CharacterIndex.spaced(row["heading"]), CharacterIndex.spaced(row["text"]),
                ])
            }
        }
        migrator.registerMigration("v15-signatures-and-origin-chains") { db in
            // Protocol 2 signs what each store makes: every origin's revisions form a hash chain (its value at the
            // highest counter held is kept beside that counter), and a signature over the chain at a counter vouches
            // for revisions 1…counter. Revisions kept from before stay unsigned until their origin signs a later
            // chain, which covers them too. See `ChainSignatures` and `Protocol/PROTOCOL.md`, "Signatures".
            try db.execute(sql: """
                ALTER TABLE sync_vector ADD COLUMN chain BLOB;
                CREATE TABLE chain_signature (
                    origin TEXT NOT NULL, counter INTEGER NOT NULL, key TEXT NOT NULL, signature TEXT NOT NULL,
                    tail TEXT, chain BLOB, PRIMARY KEY (origin, counter)) WITHOUT ROWID;
                CREATE TABLE origin_key (origin TEXT PRIMARY KEY, key TEXT NOT NULL) WITHOUT ROWID;
                CREATE TABLE key_account (key TEXT PRIMARY KEY, account TEXT) WITHOUT ROWID;
                """)
            try OriginChains.recomputeAll(db)
        }
        migrator.registerMigration("v16-section-text-kept-once") { db in
            // A store was about ten times the text it imported: each section's text was kept in its revision's body
            // and in `section`, and the trigram index alone took three to four times the text (every three
            // characters of Chinese are a term of their own). The text is now kept in the body only, and `section`
            // becomes a view that reads it from there (see `SectionTextStorage`). The character index answers every
            // query instead of the trigram index: separators become tokens of their own (`CharacterIndex`), so a
            // phrase of three characters or more matches exactly what the trigram index matched, case folded and
            // diacritics kept; it is rebuilt so. The annotation index is unchanged.
            try db.execute(sql: """
                DROP TABLE section_fts;
                CREATE TABLE stored_section (
                    rowid INTEGER PRIMARY KEY,
                    id TEXT NOT NULL UNIQUE,
                    report_id TEXT NOT NULL,
                    position INTEGER NOT NULL,
                    outline TEXT NOT NULL,
                    level INTEGER NOT NULL,
                    label TEXT NOT NULL,
                    heading TEXT NOT NULL,
                    parent_id TEXT,
                    -- NULL when the current body of the report gives the text back at `position`: see `section`.
                    text TEXT
                );
                INSERT INTO stored_section (rowid, id, report_id, position, outline, level, label, heading, parent_id, text)
                SELECT section.rowid, section.id, section.report_id, section.position, section.outline, section.level,
                    section.label, section.heading, section.parent_id,
                    \(SectionTextStorage.keptText(body: "revision.body", position: "section.position", text: "section.text"))
                FROM section LEFT JOIN report ON report.id = section.report_id
                LEFT JOIN revision ON revision.id = report.revision_id
                ORDER BY section.rowid;
                DROP TABLE section;
                CREATE INDEX stored_section_by_report ON stored_section(report_id, position);
                \(SectionTextStorage.viewSQL);

                DROP TABLE section_characters;
                CREATE VIRTUAL TABLE section_characters USING fts5(
                    heading, text, tokenize = 'unicode61 remove_diacritics 0', content = '');
                """)
            // Reports waiting in `section_index_pending` are indexed by the next search, as before.
            let insert = try db.makeStatement(sql: "INSERT INTO section_characters (rowid, heading, text) VALUES (?, ?, ?)")
            let rows = try Row.fetchCursor(db, sql: """
                SELECT rowid, heading, text FROM section
                WHERE report_id NOT IN (SELECT report_id FROM section_index_pending) ORDER BY rowid
                """)
            while let row = try rows.next() {
                try insert.execute(arguments: [
                    row["rowid"], CharacterIndex.spaced(row["heading"]), CharacterIndex.spaced(row["text"]),
                ])
            }
        }
        migrator.registerMigration("v17-revision-identity-index-a-load-can-defer") { db in
            // The revision table's identities were unique by a column constraint, whose index SQLite never lets go
            // of. A first pull inserts a million revisions under random 64-character identities, and with each
            // page's commit that index rewrote most of its leaves. The same uniqueness is now a named index
            // (`revision_by_id`), which a bulk load leaves out while its pages come in and builds once,
            // sorted, when they are in. The table is copied as it is, row for row; an index by record that a
            // stopped load left out stays out (the load's end builds it).
            let hadRecordIndex = try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ?)",
                arguments: ["revision_by_record"]) ?? false
            try db.execute(sql: """
                DROP VIEW change_log;
                DROP VIEW section;
                CREATE TABLE revision_v17 (
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
                    body TEXT NOT NULL,
                    source TEXT NOT NULL,
                    logged_at INTEGER NOT NULL,
                    UNIQUE (origin, counter)
                );
                INSERT INTO revision_v17 (
                    seq, id, record_id, kind, parents, origin, counter, clock, author, created_at, body, source,
                    logged_at)
                SELECT seq, id, record_id, kind, parents, origin, counter, clock, author, created_at, body, source,
                    logged_at
                FROM revision ORDER BY seq;
                DROP TABLE revision;
                ALTER TABLE revision_v17 RENAME TO revision;
                CREATE UNIQUE INDEX revision_by_id ON revision(id);
                CREATE TRIGGER revision_is_immutable BEFORE UPDATE ON revision
                BEGIN SELECT RAISE(ABORT, 'revisions are immutable'); END;
                CREATE TRIGGER revision_is_kept BEFORE DELETE ON revision
                BEGIN SELECT RAISE(ABORT, 'revisions are never deleted'); END;
                CREATE VIEW change_log AS SELECT seq, id AS revision_id, source, logged_at FROM revision;
                \(SectionTextStorage.viewSQL);
                """)
            if hadRecordIndex { try db.execute(sql: "CREATE INDEX revision_by_record ON revision(record_id)") }
        }
        migrator.registerMigration(PackedRevisionsMigration.identifier, migrate: PackedRevisionsMigration.migrate)
        migrator.registerMigration(AnnotationIndexMigration.identifier, migrate: AnnotationIndexMigration.migrate)
        migrator.registerMigration("v20-heads-a-load-stages") { db in
            // Empty but while a bulk load's pages come in (see StagedHeads).
            try db.execute(sql: """
                CREATE TABLE bulk_record_heads (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    record_id TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    head_count INTEGER NOT NULL,
                    heads TEXT NOT NULL
                )
                """)
        }
        migrator.registerMigration("v21-removed-reports") { db in
            // No store holds a removing revision yet: every report is kept.
            try db.execute(sql: """
                ALTER TABLE report ADD COLUMN removed INTEGER NOT NULL DEFAULT 0;
                CREATE INDEX report_removed ON report(id) WHERE removed = 1;
                """)
        }
        migrator.registerMigration("v22-import-bases") { db in
            // What each file last said of a report (ImportBase); stores noted nothing before, so a re-import there
            // finds an earlier text among the report's revisions.
            try db.execute(sql: """
                CREATE TABLE import_base (
                    record_id TEXT NOT NULL,
                    file TEXT NOT NULL,
                    revision_id TEXT,
                    body TEXT,
                    PRIMARY KEY (record_id, file)
                ) WITHOUT ROWID
                """)
        }
        migrator.registerMigration(QuoteFollowingMigration.identifier, migrate: QuoteFollowingMigration.migrate)
        migrator.registerMigration("v24-import-bases-by-sequence") { db in
            // An import base names its revision by the revision's place in this store's change log (`seq`, which
            // never changes once written) instead of its 64-character identity: the table is local knowledge, and
            // in a store of 20,000 imported reports it shrank from 2.9 to 1.5 MB, which kept the store within four
            // bytes per byte of imported text.
            try db.execute(sql: """
                CREATE TABLE import_base_by_sequence (
                    record_id TEXT NOT NULL,
                    file TEXT NOT NULL,
                    revision_seq INTEGER,
                    body TEXT,
                    PRIMARY KEY (record_id, file)
                ) WITHOUT ROWID;
                INSERT INTO import_base_by_sequence (record_id, file, revision_seq, body)
                SELECT import_base.record_id, import_base.file, stored_revision.seq, import_base.body
                FROM import_base LEFT JOIN stored_revision ON stored_revision.id = import_base.revision_id
                WHERE import_base.body IS NOT NULL OR stored_revision.seq IS NOT NULL;
                DROP TABLE import_base;
                ALTER TABLE import_base_by_sequence RENAME TO import_base;
                """)
        }
        return migrator
    }
}
