import Foundation
import GRDB
import Testing
@testable import MarginCore
@testable import MarginStore

/// Migrations move a store's data forward without losing or reordering any of it.
@Suite("Store schema migrations")
struct StoreSchemaTests {
    private static let peer = PeerID(rawValue: "00000000000000a1")
    private static let other = PeerID(rawValue: "00000000000000b2")

    private static func tag(_ present: Bool, origin: PeerID, counter: Int64, clock: Int64, parents: [Revision]) -> Revision {
        Revision(
            record: Identity.tag("重点", on: SectionID(rawValue: "s1")), kind: .tag, parents: parents.map(\.id),
            origin: origin, counter: counter, clock: clock, author: origin == peer ? "甲" : "乙", createdAt: clock * 1000,
            body: BodyCoding.encode(TagBody(
                report: RecordID(rawValue: "r1"), section: SectionID(rawValue: "s1"), tag: "重点", present: present)))
    }

    @Test func theChangeLogAndHeadsMoveIntoRevisionsAndRecordsUnchanged() throws {
        // A store as version 7 left it: a separate change log, and a record with two concurrent heads.
        let folder = StoreTestSupport.temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let queue = try DatabaseQueue(path: (folder as NSString).appendingPathComponent(MarginStore.databaseFileName))
        try StoreSchema.migrator.migrate(queue, upTo: "v7-kept-short-identity-length-and-covering-report-counts")
        let base = Self.tag(true, origin: Self.peer, counter: 1, clock: 1, parents: [])
        let left = Self.tag(false, origin: Self.peer, counter: 2, clock: 2, parents: [base])
        let right = Self.tag(false, origin: Self.other, counter: 1, clock: 2, parents: [base])
        let logged = [(base, "local"), (right, "pull:server"), (left, "local")]
        try queue.write { db in
            try PeerIdentity(id: Self.peer, author: "甲").save(db)
            for (index, (revision, source)) in logged.enumerated() {
                try db.execute(
                    sql: """
                        INSERT INTO revision (id, record_id, kind, parents, origin, counter, clock, author, created_at, body)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        revision.id.rawValue, revision.record.rawValue, revision.kind.rawValue,
                        ParentList.encode(revision.parents), revision.origin.rawValue, revision.counter, revision.clock,
                        revision.author, revision.createdAt, revision.body,
                    ])
                try db.execute(
                    sql: "INSERT INTO change_log (revision_id, source, logged_at) VALUES (?, ?, ?)",
                    arguments: [revision.id.rawValue, source, 5000 + index])
            }
            try db.execute(
                sql: "INSERT INTO sync_vector (origin, counter, clock) VALUES (?, 2, 2), (?, 1, 2)",
                arguments: [Self.peer.rawValue, Self.other.rawValue])
            try db.execute(
                sql: "INSERT INTO record (id, kind, current_revision, head_count, conflicted) VALUES (?, 'tag', ?, 2, 0)",
                arguments: [base.record.rawValue, left.id.rawValue])
            for head in [left, right] {
                try db.execute(
                    sql: "INSERT INTO record_head (record_id, revision_id) VALUES (?, ?)",
                    arguments: [base.record.rawValue, head.id.rawValue])
            }
        }
        try queue.close()

        let store = try MarginStore.open(at: folder)
        let log = try store.changeLog(limit: 10)
        #expect(log.map(\.revision) == [left.id, right.id, base.id])
        #expect(log.map(\.source) == ["local", "pull:server", "local"])
        #expect(log.map(\.sequence) == [3, 2, 1])
        let (heads, viewed, loggedAt) = try store.read { db in
            (
                try RevisionLedger.heads(of: base.record, db),
                try String.fetchAll(db, sql: "SELECT revision_id FROM change_log ORDER BY seq"),
                try Int64.fetchAll(db, sql: "SELECT logged_at FROM change_log ORDER BY seq")
            )
        }
        #expect(heads == [left.id, right.id].sorted { $0.rawValue < $1.rawValue })
        #expect(viewed == logged.map(\.0.id.rawValue))
        #expect(loggedAt == [5000, 5001, 5002])
        #expect(try store.integrityProblems().isEmpty)
        #expect(throws: (any Error).self) {
            try store.write { db in try db.execute(sql: "UPDATE revision SET source = 'x'") }
        }

        // The log goes on after the migrated entries, and a revision that merges both heads replaces them.
        let merge = Self.tag(true, origin: Self.other, counter: 2, clock: 3, parents: [left, right])
        #expect(try store.receive([merge], source: "pull:server") == ReceiveOutcome(accepted: 1, duplicates: 0))
        #expect(try store.changeLog(limit: 1).map(\.sequence) == [4])
        #expect(try store.read { db in try RevisionLedger.heads(of: base.record, db) } == [merge.id])
    }
}
