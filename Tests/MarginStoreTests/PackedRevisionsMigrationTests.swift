import Foundation
import GRDB
import Testing
@testable import MarginCore
@testable import MarginStore
import MarginTestSupport

/// Schema v18 keeps long revision bodies packed (``StoredBody``) behind the `revision` view, and lists the text
/// column first in the character index. A store from v17 must come through with every revision, text and search
/// result the same.
@Suite("Packed revision bodies: a store from v17 reads and finds the same, and is smaller")
struct PackedRevisionsMigrationTests {
    /// Rebuilds the (closed) store at `path` as v17 had it: a `revision` table of text bodies, the character index
    /// with the heading first holding every indexed section, and no record that v18 ran.
    static func makeVersionSeventeen(_ path: String) throws {
        var configuration = Configuration()
        configuration.prepareDatabase { db in try StoredBody.register(on: db) }
        let queue = try DatabaseQueue(
            path: (path as NSString).appendingPathComponent(MarginStore.databaseFileName), configuration: configuration)
        try queue.write { db in
            let hadRecordIndex = try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE name = 'revision_by_record')") ?? false
            try db.execute(sql: """
                DROP VIEW change_log;
                DROP VIEW section;
                DROP VIEW revision;
                CREATE TABLE revision (
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
                INSERT INTO revision SELECT seq, id, record_id, kind, parents, origin, counter, clock, author,
                    created_at, revision_body(body), source, logged_at FROM stored_revision;
                DROP TABLE stored_revision;
                CREATE UNIQUE INDEX revision_by_id ON revision(id);
                CREATE TRIGGER revision_is_immutable BEFORE UPDATE ON revision
                BEGIN SELECT RAISE(ABORT, 'revisions are immutable'); END;
                CREATE TRIGGER revision_is_kept BEFORE DELETE ON revision
                BEGIN SELECT RAISE(ABORT, 'revisions are never deleted'); END;
                CREATE VIEW change_log AS SELECT seq, id AS revision_id, source, logged_at FROM revision;
                \(SectionTextStorage.viewSQL);
                DROP TABLE section_characters;
                CREATE VIRTUAL TABLE section_characters USING fts5(
                    heading, text, tokenize = 'unicode61 remove_diacritics 0', content = '');
                DELETE FROM grdb_migrations WHERE identifier = '\(PackedRevisionsMigration.identifier)';
                """)
            if hadRecordIndex { try db.execute(sql: "CREATE INDEX revision_by_record ON revision(record_id)") }
            let rows = try Row.fetchAll(db, sql: """
                SELECT rowid, heading, text FROM section
                WHERE report_id NOT IN (SELECT report_id FROM section_index_pending) ORDER BY rowid
                """)
            for row in rows {
                try db.execute(
                    sql: "INSERT INTO section_characters (rowid, heading, text) VALUES (?, ?, ?)",
                    arguments: [row["rowid"], CharacterIndex.spaced(row["heading"]), CharacterIndex.spaced(row["text"])])
            }
        }
        try queue.close()
    }

    /// A closed store at v17: the seeds and one note, `note`, on the last section of the first report. `read` sees
    /// the store as it was before it was rewound; returns its folder, that section and what `read` returned.
    static func versionSeventeenStore<Value>(
        note: String, read: (MarginStore) throws -> Value
    ) throws -> (path: String, section: String, before: Value) {
        var original: MarginStore? = try StoreTestSupport.seededStore()
        let path = original!.path
        let section = try #require(try original!.outline(of: try original!.reports()[0].shortID).sections.last)
        _ = try original!.addAnnotation(on: section.reference, text: note)
        let before = try read(original!)
        original = nil
        try makeVersionSeventeen(path)
        return (path, section.reference, before)
    }

    /// What a reader sees of a store: every revision, every section's text, and a few searches' hits in order.
    private static func view(of store: MarginStore) throws -> (revisions: [Revision], texts: [String], hits: [[String]]) {
        let revisions = try store.read { db in try Revision.fetchAll(db, sql: "SELECT * FROM revision ORDER BY seq") }
        let texts = try store.read { db in try String.fetchAll(db, sql: "SELECT id || text FROM section ORDER BY rowid") }
        let hits = try ["教育", "师资", "学校", "教", "工作总结"].map { query in
            try store.search(text: query, limit: 30).items.map { "\($0)" }
        }
        return (revisions, texts, hits)
    }

    private static func storedBodyTypes(_ store: MarginStore) throws -> [String: Int] {
        try store.read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(
                db, sql: "SELECT typeof(body) AS type, COUNT(*) AS count FROM stored_revision GROUP BY 1"
            ).map { ($0["type"] as String, $0["count"] as Int) })
        }
    }

    @Test("a store from v17 reads every revision, text and search the same, with its long bodies packed")
    func aStoreFromVersionSeventeenComesThrough() throws {
        let (path, _, before) = try Self.versionSeventeenStore(note: "迁移之前写的批注", read: Self.view(of:))
        let rewound = try DatabaseQueue(path: (path as NSString).appendingPathComponent(MarginStore.databaseFileName))
        #expect(try rewound.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT typeof(body) FROM revision")
        } == ["text"], "the v17 store keeps every body as text")
        try rewound.close()

        let migrated = try MarginStore.open(at: path)
        let after = try Self.view(of: migrated)
        #expect(after.revisions == before.revisions)
        #expect(after.texts == before.texts)
        #expect(after.hits == before.hits)
        for revision in after.revisions { #expect(throws: Never.self) { try revision.verify() } }

        // Every long report body is packed, and notes stay text.
        let long = before.revisions.filter { $0.body.utf8.count >= StoredBody.packingThreshold }
        #expect(!long.isEmpty)
        #expect(try Self.storedBodyTypes(migrated) == ["blob": long.count, "text": before.revisions.count - long.count])
        let (stored, text) = try migrated.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT SUM(length(body)) FROM stored_revision WHERE typeof(body) = 'blob'")!,
                try Int.fetchOne(db, sql: "SELECT SUM(length(CAST(body AS BLOB))) FROM revision WHERE length(body) >= ?",
                                 arguments: [StoredBody.packingThreshold])!
            )
        }
        #expect(stored * 2 < text, "packed report bodies take under half their text: \(stored) of \(text) bytes")

        // The character index lists the text first, and holds every section again once a search has run.
        let index = try migrated.read { db in
            try String.fetchOne(db, sql: "SELECT sql FROM sqlite_schema WHERE name = 'section_characters'")
        }
        #expect(index?.contains("fts5(\n    text, heading") == true, "\(index ?? "no index")")
        let buffer = try migrated.read { db in
            try Int.fetchOne(db, sql: "SELECT v FROM section_characters_config WHERE k = 'hashsize'")
        }
        #expect(buffer == PackedRevisionsMigration.indexBufferBytes)
        #expect(try migrated.read { db in try SectionIndexes.hasPending(db) } == false)
        #expect(try migrated.integrityProblems().isEmpty)

        // Revisions stay immutable and kept, and the store goes on writing.
        for statement in ["UPDATE stored_revision SET author = 'x'", "DELETE FROM stored_revision", "UPDATE revision SET author = 'x'"] {
            #expect(throws: (any Error).self) { try migrated.write { db in try db.execute(sql: statement) } }
        }
        let note = try #require(try migrated.notes().items.first)
        _ = try migrated.editAnnotation(note.id.rawValue, text: "迁移之后改写的批注")
        #expect(try migrated.notes().items.map(\.text).contains("迁移之后改写的批注"))
    }

    @Test("a new store packs the long bodies it writes, and reads them back exactly")
    func aNewStorePacksWhatItWrites() throws {
        let store = try StoreTestSupport.seededStore()
        let revisions = try store.read { db in try Revision.fetchAll(db, sql: "SELECT * FROM revision ORDER BY seq") }
        let long = revisions.filter { $0.body.utf8.count >= StoredBody.packingThreshold }
        #expect(!long.isEmpty)
        #expect(try Self.storedBodyTypes(store)["blob"] == long.count)
        for revision in revisions { #expect(throws: Never.self) { try revision.verify() } }
    }

    @Test("a damaged packed body fails the read that meets it, and names the damage")
    func aDamagedBodyIsAnError() throws {
        let store = try StoreTestSupport.seededStore()
        let report = try store.reports()[0]
        let sectionID = try #require(try store.outline(of: report.shortID).sections.first).reference
        #expect(throws: Never.self) { try store.section(sectionID) }
        try store.database.write { db in
            let revision = try #require(try String.fetchOne(
                db, sql: "SELECT revision_id FROM report WHERE id = ?", arguments: [report.id.rawValue]))
            var packed = try #require(try Data.fetchOne(
                db, sql: "SELECT body FROM stored_revision WHERE id = ? AND typeof(body) = 'blob'", arguments: [revision]))
            packed[packed.count / 2] ^= 0x5A
            try db.execute(sql: "DROP TRIGGER revision_is_immutable")
            try db.execute(sql: "UPDATE stored_revision SET body = ? WHERE id = ?", arguments: [packed, revision])
        }
        let error = try #require(throws: MarginStoreError.self) { try store.section(sectionID) }
        #expect(error.description.contains("damaged"), "\(error)")
        // Another report still reads.
        let other = try store.reports()[1]
        let otherSection = try #require(try store.outline(of: other.shortID).sections.first).reference
        #expect(throws: Never.self) { try store.section(otherSection) }
    }
}

@Suite("Stored bodies: text below the threshold or where packing gains little, packed otherwise")
struct StoredBodyTests {
    @Test("short and incompressible bodies stay text; long ones pack and unpack to the same bytes", arguments: [0, 1, 7])
    func packingRoundTrips(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        print("StoredBodyTests seed \(seed)")
        let short = String(repeating: "教", count: StoredBody.packingThreshold / 3 - 1)
        guard case .text = StoredBody.value(of: short) else { Issue.record("a short body is packed"); return }

        // Letters drawn from 4,096 ideographs: about 12 bits each in 24 bits of UTF-8, which zlib packs.
        let noise = String(String.UnicodeScalarView((0..<2_000).map { _ in
            Unicode.Scalar(0x4E00 + UInt32(random.next() % 4_096))!
        }))
        // Random printable ASCII carries 6.5 bits in 8, and zlib's tables take their share of a short body:
        // packing 520 such bytes saves less than an eighth.
        let ascii = String((0..<520).map { _ in Character(Unicode.Scalar(UInt8(33 + random.next() % 94))) })
        guard case .text = StoredBody.value(of: ascii) else {
            Issue.record("520 bytes of random printable ASCII packed by more than an eighth")
            return
        }
        let report = "{\"sections\":[" + (0..<40).map { index in
            "{\"heading\":\"第\(index)节\",\"id\":\"\(String(random.next(), radix: 16))\",\"text\":\"\(noise.prefix(50 + index))\"}"
        }.joined(separator: ",") + "]}"
        for body in [report, noise] {
            guard case let .blob(packed) = StoredBody.value(of: body) else { continue }
            #expect(packed.count < body.utf8.count)
            #expect(packed[0] == StoredBody.formatTag)
            #expect(StoredBody.text(ofPacked: packed) == body)
        }
        guard case .blob = StoredBody.value(of: report) else { Issue.record("a report body is not packed"); return }
    }

    @Test("a packed body cut short, with a wrong length, tag or checksum, does not unpack")
    func damageIsFound() throws {
        let body = String(repeating: "一、基本情况\n全年组织教师培训。", count: 40)
        guard case let .blob(packed) = StoredBody.value(of: body) else { Issue.record("not packed"); return }
        var wrongTag = packed
        wrongTag[0] = 2
        var wrongLength = packed
        wrongLength[4] &+= 1
        var wrongChecksum = packed
        wrongChecksum[packed.count - 1] ^= 0xFF
        for damaged in [Array(packed.dropLast(3)), wrongTag, wrongLength, wrongChecksum, [], [1, 0, 0, 0, 0]] {
            #expect(StoredBody.text(ofPacked: damaged) == nil)
        }
    }
}
