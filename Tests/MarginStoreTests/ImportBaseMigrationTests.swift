import Foundation
import GRDB
import Testing
@testable import MarginCore
@testable import MarginStore

@Suite("Import bases by sequence: a store from before keeps what its files last said")
struct ImportBaseMigrationTests {
    static let otherFile = "红星镇.txt"
    static let otherText = ReimportTests.text.replacingOccurrences(of: "白沙镇", with: "红星镇")

    /// A store holding two imported files, rewound to how v23 kept their bases: `白沙镇.txt` by the identity of the
    /// revision it wrote, and `红星镇.txt` (imported again after an edit, its change merged) by its text.
    static func versionTwentyThreeStore() throws -> (path: String, first: RecordID, other: RecordID) {
        let path = StoreTestSupport.temporaryFolder()
        let (first, other): (RecordID, RecordID)
        do {
            let store = try MarginStore.create(at: path, author: "a")
            first = try #require(try store.importReports(from: ReimportTests.data(ReimportTests.text), fileName: ReimportTests.file).reports.first).id
            other = try #require(try store.importReports(from: ReimportTests.data(otherText), fileName: otherFile).reports.first).id
            try ReimportTests.edit(store, other, replacing: "三百本", with: "四百本")
            let merged = try store.importReports(
                from: ReimportTests.data(otherText.replacingOccurrences(of: "二十次", with: "二十五次")), fileName: otherFile)
            #expect(merged.reports.map(\.laterEdits) == [.merged])
        }
        var configuration = Configuration()
        // Renaming a table checks the views, and `revision` reads bodies with the store's function.
        configuration.prepareDatabase { db in try StoredBody.register(on: db) }
        let queue = try DatabaseQueue(
            path: (path as NSString).appendingPathComponent(MarginStore.databaseFileName), configuration: configuration)
        try queue.write { db in
            try db.execute(sql: """
                CREATE TABLE import_base_v23 (
                    record_id TEXT NOT NULL, file TEXT NOT NULL, revision_id TEXT, body TEXT,
                    PRIMARY KEY (record_id, file)
                ) WITHOUT ROWID;
                INSERT INTO import_base_v23
                SELECT import_base.record_id, import_base.file, stored_revision.id, import_base.body
                FROM import_base LEFT JOIN stored_revision ON stored_revision.seq = import_base.revision_seq;
                DROP TABLE import_base;
                ALTER TABLE import_base_v23 RENAME TO import_base;
                DELETE FROM grdb_migrations WHERE identifier = 'v24-import-bases-by-sequence';
                """)
        }
        try queue.close()
        return (path, first, other)
    }

    @Test func bothKindsOfBaseSurviveTheUpgradeAndStillGuardLaterEdits() throws {
        let (path, first, other) = try Self.versionTwentyThreeStore()
        let rewound = try DatabaseQueue(path: (path as NSString).appendingPathComponent(MarginStore.databaseFileName))
        let before = try rewound.read { db in
            try Row.fetchAll(db, sql: "SELECT record_id, file, revision_id IS NOT NULL AS by_revision, body FROM import_base ORDER BY file")
        }
        try rewound.close()
        #expect(before.count == 2)
        #expect(before.contains { $0["file"] == ReimportTests.file && $0["by_revision"] == true })
        #expect(before.contains { $0["file"] == Self.otherFile && ($0["body"] as String?) != nil })

        let store = try MarginStore.open(at: path)
        let after = try store.read { db in
            try Row.fetchAll(db, sql: "SELECT record_id, file, revision_seq, body FROM import_base ORDER BY file")
        }
        #expect(after.count == 2)
        let firstBase = try #require(after.first { $0["file"] == ReimportTests.file })
        let firstRevision = try store.read { db in
            try Int64.fetchOne(db, sql: "SELECT seq FROM stored_revision WHERE record_id = ? ORDER BY seq LIMIT 1", arguments: [first.rawValue])
        }
        #expect(firstBase["revision_seq"] as Int64? == firstRevision)
        #expect(after.contains { $0["file"] == Self.otherFile && ($0["body"] as String?) != nil })

        // An edit after the upgrade, then the file with a change of its own elsewhere: the two merge, which only
        // a base that survived the upgrade allows (without one, the file's text would be written over the edit).
        try ReimportTests.edit(store, first, replacing: "三百本", with: "四百本")
        let reimported = try store.importReports(
            from: ReimportTests.data(ReimportTests.text.replacingOccurrences(of: "二十次", with: "二十五次")),
            fileName: ReimportTests.file)
        #expect(reimported.reports.map(\.laterEdits) == [.merged])
        let texts = try ReimportTests.texts(store, first)
        #expect(texts.contains("四百本") && texts.contains("二十五次"))
        // The merged base is read as text: the unchanged file writes nothing over the edit.
        let again = try store.importReports(
            from: ReimportTests.data(Self.otherText.replacingOccurrences(of: "二十次", with: "二十五次")), fileName: Self.otherFile)
        #expect(again.reports.map(\.laterEdits) == [.kept])
        #expect(try ReimportTests.texts(store, other).contains("四百本"))
    }
}
