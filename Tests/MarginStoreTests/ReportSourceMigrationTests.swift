import Foundation
import GRDB
import Testing
@testable import MarginCore
@testable import MarginStore
import ReportParser

@Suite("Report sources: a store from before them keeps every identity")
struct ReportSourceMigrationTests {
    typealias F = ReportIdentityFixtures
    private static let peer = PeerID(rawValue: "00000000000000a1")
    private static let newerPeer = PeerID(rawValue: "00000000000000b2")

    /// Writes `report` as a store at schema v11 held it: the revision and its materialized rows, no source columns.
    static func insert(_ report: ParsedReport, id: RecordID, source: ReportSource?, origin: PeerID, counter: Int64, _ db: Database) throws {
        let body = ReportBodyBuilder.body(of: report, id: id, source: source)
        let revision = Revision(
            record: id, kind: .report, parents: [], origin: origin, counter: counter, clock: counter,
            author: origin == peer ? "甲" : "乙", createdAt: 1_700_000_000_000 + counter, body: BodyCoding.encode(body))
        try db.execute(
            sql: """
                INSERT INTO revision (id, record_id, kind, parents, origin, counter, clock, author, created_at, body, source, logged_at)
                VALUES (?, ?, 'report', '[]', ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                revision.id.rawValue, id.rawValue, origin.rawValue, counter, counter, revision.author, revision.createdAt,
                revision.body, origin == peer ? "local" : "pull:server", revision.createdAt,
            ])
        try db.execute(
            sql: "INSERT INTO record (id, kind, current_revision, head_count, conflicted, heads) VALUES (?, 'report', ?, 1, 0, ?)",
            arguments: [id.rawValue, revision.id.rawValue, ParentList.encode([revision.id])])
        try db.execute(
            sql: "INSERT INTO report (id, title, section_count, revision_id, title_order) VALUES (?, ?, ?, ?, ?)",
            arguments: [id.rawValue, body.title, body.sections.count, revision.id.rawValue, TitleOrder.key(for: body.title)])
        let outline = SectionOutline.numbers(for: body.sections)
        for (position, section) in body.sections.enumerated() {
            try db.execute(
                sql: """
                    INSERT INTO section (id, report_id, position, outline, level, label, heading, text, parent_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    section.id.rawValue, id.rawValue, position, outline[position], section.level, section.label,
                    section.heading, section.text, section.parent?.rawValue,
                ])
        }
        try db.execute(
            sql: "INSERT INTO sync_vector (origin, counter, clock) VALUES (?, ?, ?) ON CONFLICT(origin) DO UPDATE SET counter = excluded.counter, clock = excluded.clock",
            arguments: [origin.rawValue, counter, counter])
    }

    @Test func anOldStoreKeepsItsIdentitiesAndFindsItsReportsAgain() throws {
        let folder = StoreTestSupport.temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let queue = try DatabaseQueue(path: (folder as NSString).appendingPathComponent(MarginStore.databaseFileName))
        try StoreSchema.migrator.migrate(queue, upTo: "v11-server-accounts")
        let east = try ReportParser.parse(text: F.east, fileName: "old.txt")[0]
        let west = try ReportParser.parse(text: F.west, fileName: "old.txt")[0]
        let eastID = Identity.report(title: F.title)
        // A report a newer peer made from 终稿.txt and then revised from 西城区…txt with --as, received before this
        // store knew sources: only its recorded source leads an import of 西城区…txt to it.
        let westSource = ReportSource(file: F.westFile, title: F.title, occurrence: 1)
        let westID = Identity.report(file: "终稿.txt", title: F.title)
        try queue.write { db in
            try PeerIdentity(id: Self.peer, author: "甲").save(db)
            try Self.insert(east, id: eastID, source: nil, origin: Self.peer, counter: 1, db)
            try Self.insert(west, id: westID, source: westSource, origin: Self.newerPeer, counter: 1, db)
        }
        try queue.close()

        let store = try MarginStore.open(at: folder)
        #expect(Set(try store.reports().map(\.id)) == [eastID, westID])
        let columns = try store.read { db in
            try Row.fetchAll(db, sql: "SELECT id, source_file FROM report ORDER BY id").map { ($0["id"] as String, $0["source_file"] as String?) }
        }
        #expect(columns.first { $0.0 == eastID.rawValue }?.1 == nil)
        #expect(columns.first { $0.0 == westID.rawValue }?.1 == F.westFile)
        #expect(try store.integrityProblems().isEmpty)

        let section = try #require(try store.outline(of: eastID.rawValue).sections.first { $0.heading == "教师队伍不断加强" })
        let note = try store.addAnnotation(on: section.reference, text: "培训", quote: "四十场")
        let same = try store.importReports(from: Data(F.east.utf8), fileName: F.eastFile)
        #expect(same.reports.map(\.id) == [eastID])
        #expect(same.reports.map(\.outcome) == [.unchanged])
        let westAgain = try store.importReports(from: Data(F.west.utf8), fileName: F.westFile)
        #expect(westAgain.reports.map(\.id) == [westID])
        #expect(westAgain.reports.map(\.outcome) == [.unchanged])
        let changed = try store.importReports(from: Data(F.eastRevised.utf8), fileName: F.eastFile)
        #expect(changed.reports.map(\.id) == [eastID])
        #expect(changed.reports.map(\.outcome) == [.revised])
        #expect(try store.annotation(note.id.rawValue).placement != "orphaned")
        #expect(try store.reports().count == 2)
    }
}
