import Foundation
import GRDB
import Testing
@testable import MarginCore
@testable import MarginStore
import ReportParser

/// Schema v16 keeps each section's text once, in its report's revision body, and answers every section query from
/// the character index: a store built at v15 must come through with every text, search and index entry intact.
@Suite("Section text kept once: a store from v15 keeps every text and finds the same sections")
struct SectionTextMigrationTests {
    typealias F = ReportIdentityFixtures
    private static let peer = PeerID(rawValue: "00000000000000a1")

    /// A v15 store holding the east report (indexed, as a search had left it), the west report still waiting to be
    /// indexed, and one section whose row text differs from its body (written by hand: the migration must keep it).
    private static func versionFifteenStore() throws -> (folder: String, texts: [String: String]) {
        let folder = StoreTestSupport.temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let queue = try DatabaseQueue(path: (folder as NSString).appendingPathComponent(MarginStore.databaseFileName))
        try StoreSchema.migrator.migrate(queue, upTo: "v15-signatures-and-origin-chains")
        let east = try ReportParser.parse(text: F.east, fileName: "east.txt")[0]
        let west = try ReportParser.parse(text: F.west, fileName: "west.txt")[0]
        let texts = try queue.write { db in
            try PeerIdentity(id: Self.peer, author: "甲").save(db)
            try ReportSourceMigrationTests.insert(
                east, id: Identity.report(file: "east.txt", title: F.title), source: nil, origin: Self.peer, counter: 1, db)
            try ReportSourceMigrationTests.insert(
                west, id: Identity.report(file: "west.txt", title: F.title), source: nil, origin: Self.peer, counter: 2, db)
            let westID = Identity.report(file: "west.txt", title: F.title).rawValue
            try db.execute(sql: "INSERT INTO section_index_pending (report_id) VALUES (?)", arguments: [westID])
            // The indexes as v15 wrote them, for the east report only.
            let indexed = try Row.fetchAll(
                db, sql: "SELECT rowid, heading, text FROM section WHERE report_id <> ?", arguments: [westID])
            for row in indexed {
                try db.execute(
                    sql: "INSERT INTO section_fts (rowid, heading, text) VALUES (?, ?, ?)",
                    arguments: [row["rowid"], row["heading"], row["text"]])
                try db.execute(
                    sql: "INSERT INTO section_characters (rowid, heading, text) VALUES (?, ?, ?)",
                    arguments: [row["rowid"], CharacterIndex.spaced(row["heading"]), CharacterIndex.spaced(row["text"])])
            }
            try db.execute(
                sql: """
                    UPDATE section SET text = text || '（行内补记）'
                    WHERE rowid = (SELECT MAX(rowid) FROM section WHERE report_id <> ?)
                    """,
                arguments: [westID])
            return Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT id, text FROM section").map {
                ($0["id"] as String, $0["text"] as String)
            })
        }
        try queue.close()
        return (folder, texts)
    }

    @Test("every section reads the same text, and only a text its body does not hold is kept in the row")
    func textsComeThrough() throws {
        let (folder, texts) = try Self.versionFifteenStore()
        let store = try MarginStore.open(at: folder)
        let (after, kept, tables) = try store.read { db in
            (
                Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT id, text FROM section").map {
                    ($0["id"] as String, $0["text"] as String)
                }),
                try String.fetchAll(db, sql: "SELECT text FROM stored_section WHERE text IS NOT NULL"),
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_schema WHERE name LIKE 'section%' ORDER BY name")
            )
        }
        #expect(after == texts)
        #expect(kept.count == 1 && kept[0].hasSuffix("（行内补记）"))
        #expect(!tables.contains("section_fts"), "the trigram index of sections is gone")
        #expect(try store.integrityProblems().isEmpty)

        // The section shows its text; the hand-written one too.
        let outline = try store.outline(of: try store.reports()[0].shortID)
        for entry in outline.sections {
            #expect(try store.section(entry.reference).text == texts[entry.id.rawValue])
        }
    }

    @Test("search after the migration finds what a scan of the texts finds, waiting report included",
          arguments: ["教师", "师", "教师队伍", "队伍不断加强", "行内补记", "no such text"])
    func searchFindsTheSameSections(query: String) throws {
        let (folder, texts) = try Self.versionFifteenStore()
        let store = try MarginStore.open(at: folder)
        let page = try store.search(text: query, limit: 500)
        let expected = texts.values.filter { $0.contains(query) }.count
        let headings = try store.read { db in
            try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM section WHERE instr(heading, ?) > 0 AND instr(text, ?) = 0",
                arguments: [query, query]) ?? 0
        }
        #expect(page.total == expected + headings)
        #expect(page.items.count == page.total)
        try store.write { db in
            try db.execute(sql: "INSERT INTO section_characters (section_characters) VALUES ('integrity-check')")
            let sections = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM section") ?? 0
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM section_characters") == sections)
        }
    }

    @Test("revising a migrated report replaces its index entries with the text it was made from")
    func revisingAfterTheMigration() throws {
        let (folder, _) = try Self.versionFifteenStore()
        let store = try MarginStore.open(at: folder)
        #expect(try store.search(text: "行内补记").total == 1)
        _ = try store.importReports(from: Data(F.west.utf8), fileName: "east.txt")
        #expect(try store.search(text: "行内补记").total == 0)
        try store.write { db in
            try db.execute(sql: "INSERT INTO section_characters (section_characters) VALUES ('integrity-check')")
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM stored_section WHERE text IS NOT NULL") == 0)
        }
    }
}
