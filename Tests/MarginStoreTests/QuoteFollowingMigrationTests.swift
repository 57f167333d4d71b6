import Foundation
import GRDB
import Testing
@testable import MarginCore
@testable import MarginStore

@Suite("Notes follow their quotes: a store from before it places its orphans again")
struct QuoteFollowingMigrationTests {
    /// A store whose note's quote moved to another section, rewound to how v22 held it: the note orphaned on the
    /// section its revision names, and no columns for where it moved from.
    static func versionTwentyTwoStore() throws -> (path: String, note: RecordID, from: SectionID, to: SectionID) {
        let path = StoreTestSupport.temporaryFolder()
        let (note, from, to): (RecordID, SectionID, SectionID)
        do {
            let store = try MarginStore.create(at: path, author: "甲")
            let id = try #require(try store.importReports(
                from: Data(NotesFollowQuotesTests.text.utf8), fileName: "柳河镇.txt").reports.first).id
            let first = try NotesFollowQuotesTests.section(store, id, "门诊服务")
            note = try store.addAnnotation(on: first.reference, text: "设备用途待核实", quote: NotesFollowQuotesTests.quote).id
            try NotesFollowQuotesTests.revise(store, id, to: NotesFollowQuotesTests.moved)
            from = first.id
            to = try NotesFollowQuotesTests.section(store, id, "公共卫生").id
        }
        let queue = try DatabaseQueue(path: (path as NSString).appendingPathComponent(MarginStore.databaseFileName))
        try queue.write { db in
            try db.execute(sql: """
                UPDATE annotation SET anchor_status = 'orphaned', placed_start = NULL, placed_end = NULL,
                    section_id = moved_from_section_id
                WHERE moved_from_section_id IS NOT NULL;
                DROP VIEW section;
                ALTER TABLE annotation DROP COLUMN moved_from_section_id;
                ALTER TABLE annotation DROP COLUMN anchor_candidates;
                \(SectionTextStorage.viewSQL);
                DELETE FROM grdb_migrations WHERE identifier = '\(QuoteFollowingMigration.identifier)';
                """)
        }
        try queue.close()
        return (path, note, from, to)
    }

    @Test func anOrphanWhoseQuoteMovedFollowsItWhenTheStoreOpens() throws {
        let (path, note, from, to) = try Self.versionTwentyTwoStore()
        let rewound = try DatabaseQueue(path: (path as NSString).appendingPathComponent(MarginStore.databaseFileName))
        #expect(try rewound.read { db in
            try String.fetchOne(db, sql: "SELECT anchor_status FROM annotation WHERE id = ?", arguments: [note.rawValue])
        } == "orphaned", "the rewound store holds the note as v22 placed it")
        try rewound.close()

        let migrated = try MarginStore.open(at: path)
        let view = try migrated.annotation(note.rawValue)
        #expect(view.placement == "relocated")
        #expect(view.section == to)
        #expect(view.movedFrom == from)
        #expect(try migrated.orphanedAnnotations().isEmpty)
        // As a store that materialized the same revisions with this version places it.
        let fresh = try StoreTestSupport.newStore(author: "乙")
        try ReceivedRevisionTests.copy(from: migrated, to: fresh)
        let placedFresh = try fresh.annotation(note.rawValue)
        #expect(placedFresh.section == view.section && placedFresh.placedStart == view.placedStart)
        #expect(placedFresh.placedEnd == view.placedEnd && placedFresh.movedFrom == view.movedFrom)
    }
}
