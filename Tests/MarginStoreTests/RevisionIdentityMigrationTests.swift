import Foundation
import GRDB
import Testing
@testable import MarginCore
@testable import MarginStore

/// Schema v17 makes the revision table's unique identities a named index (`revision_by_id`), which a bulk load can
/// leave out while its pages come in. A store from v16 must come through with every revision, view and rule intact.
@Suite("Revision identity index: a store from v16 keeps every revision and gets a named unique index")
struct RevisionIdentityMigrationTests {
    /// Rebuilds the revision table of the (closed) store at `path` as v16 had it, identities unique by a column
    /// constraint, and forgets that v17 ran; without its index by record when `withRecordIndex` is false, as a
    /// stopped bulk load leaves it.
    private static func makeVersionSixteen(_ path: String, withRecordIndex: Bool = true) throws {
        try PackedRevisionsMigrationTests.makeVersionSeventeen(path)
        let queue = try DatabaseQueue(path: (path as NSString).appendingPathComponent(MarginStore.databaseFileName))
        try queue.write { db in
            try db.execute(sql: """
                DROP VIEW change_log;
                DROP VIEW section;
                DROP INDEX IF EXISTS revision_by_record;
                CREATE TABLE revision_v16 (
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
                INSERT INTO revision_v16 SELECT seq, id, record_id, kind, parents, origin, counter, clock, author,
                    created_at, body, source, logged_at FROM revision;
                DROP TABLE revision;
                ALTER TABLE revision_v16 RENAME TO revision;
                CREATE TRIGGER revision_is_immutable BEFORE UPDATE ON revision
                BEGIN SELECT RAISE(ABORT, 'revisions are immutable'); END;
                CREATE TRIGGER revision_is_kept BEFORE DELETE ON revision
                BEGIN SELECT RAISE(ABORT, 'revisions are never deleted'); END;
                CREATE VIEW change_log AS SELECT seq, id AS revision_id, source, logged_at FROM revision;
                \(SectionTextStorage.viewSQL);
                DELETE FROM grdb_migrations WHERE identifier = 'v17-revision-identity-index-a-load-can-defer';
                """)
            if withRecordIndex { try db.execute(sql: "CREATE INDEX revision_by_record ON revision(record_id)") }
        }
        try queue.close()
    }

    /// The revision table's indexes: name, whether unique, and columns.
    private static func indexes(_ store: MarginStore) throws -> [String] {
        try store.read { db in
            try db.indexes(on: "stored_revision").map { "\($0.name) \($0.isUnique ? "unique" : "") \($0.columns)" }.sorted()
        }
    }

    private static func revisionRows(_ store: MarginStore) throws -> [String] {
        try store.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM revision ORDER BY seq").map { "\($0)" }
                + Row.fetchAll(db, sql: "SELECT * FROM change_log ORDER BY seq").map { "\($0)" }
        }
    }

    @Test func everyRevisionViewAndRuleComesThrough() throws {
        let history = try BulkLoadTests.history.get()
        var original: MarginStore? = try BulkLoadTests.plainReplay(history)
        let path = original!.path
        let state = try BulkLoadTests.state(original!)
        let rows = try Self.revisionRows(original!)
        let current = try Self.indexes(original!)
        original = nil
        try Self.makeVersionSixteen(path)

        let migrated = try MarginStore.open(at: path)
        #expect(try BulkLoadTests.state(migrated) == state)
        #expect(try Self.revisionRows(migrated) == rows)
        #expect(try Self.indexes(migrated) == current, "the same indexes as a store made at v17")
        #expect(try Self.indexes(migrated).contains { $0.hasPrefix("revision_by_id unique") })
        #expect(try migrated.integrityProblems().isEmpty)

        // Identities are still unique, and revisions still immutable and kept.
        let first = try #require(history.revisions.first)
        for statement in [
            """
            INSERT INTO stored_revision (id, record_id, kind, parents, origin, counter, clock, author, created_at, body,
                source, logged_at)
            SELECT id, record_id, kind, parents, 'ffffffffffffffff', counter, clock, author, created_at, body, source,
                logged_at FROM revision WHERE id = ?
            """,
            "UPDATE stored_revision SET author = 'x' WHERE id = ?",
            "DELETE FROM stored_revision WHERE id = ?",
        ] {
            #expect(throws: (any Error).self) {
                try migrated.write { db in try db.execute(sql: statement, arguments: [first.id.rawValue]) }
            }
        }
        #expect(try Self.revisionRows(migrated) == rows)

        // The store goes on: a new note is a revision like any other.
        let note = try migrated.notes().items.first
        if let note { _ = try migrated.editAnnotation(note.id.rawValue, text: "迁移之后改写的批注") }
        #expect(try Self.revisionRows(migrated).count == rows.count + (note == nil ? 0 : 2))
    }

    @Test func anIndexByRecordAStoppedLoadLeftOutStaysOutUntilTheLoadEnds() throws {
        let history = try BulkLoadTests.history.get()
        var stopped: MarginStore? = try StoreTestSupport.newStore(author: "bulk")
        let path = stopped!.path
        let pages = history.pages(of: 50)
        for page in pages[..<(pages.count / 2)] { try BulkLoadTests.receive(page, into: stopped!, history) }
        stopped = nil
        try Self.makeVersionSixteen(path, withRecordIndex: false)

        let migrated = try MarginStore.open(at: path)
        #expect(try migrated.bulkLoadPending())
        #expect(try !Self.indexes(migrated).contains { $0.hasPrefix(BulkLoad.recordIndex.name) })
        #expect(try Self.indexes(migrated).contains { $0.hasPrefix("revision_by_id unique") })
        for page in pages[(pages.count / 2)...] { try BulkLoadTests.receive(page, into: migrated, history) }
        try migrated.finishBulkLoad()
        #expect(try BulkLoadTests.state(migrated) == BulkLoadTests.state(BulkLoadTests.plainReplay(history)))
        #expect(try Self.indexes(migrated).contains { $0.hasPrefix(BulkLoad.recordIndex.name) })
    }
}
