import Foundation
import GRDB
import Testing
@testable import MarginCore
@testable import MarginStore

/// Pushes to a store that is only served keep the ledger only (no record rows), and the store opened to be read ends
/// exactly where a page-by-page pull of the same history ends, even when it is stopped while it rebuilds, and a
/// local write made before it is read names the revisions the server took as its parents.
@Suite("Ledger-only pushes to a server store")
struct LedgerOnlyIngestTests {
    typealias History = BulkLoadTests.History

    /// A store made only to be served, and a push of `pages` to it, each signed by one key (the pusher's, which its
    /// other identities share), as `margin serve` receives them.
    struct ServerStore {
        let store: MarginStore
        var signer = ChainSigner(key: .generate())
        let pusher: PeerID

        init(_ history: History) throws {
            store = try StoreTestSupport.newStore(author: "server")
            try store.markServesOnly()
            pusher = history.revisions[0].origin
        }

        mutating func push(_ page: [Revision]) throws {
            let proofs = try signer.proofs(for: page)
            let outcome = try store.receive(
                page, proofs: proofs, from: .pusher(from: pusher, account: nil), source: "push:test")
            #expect(outcome.accepted == page.count)
        }
    }

    static func recordRows(_ store: MarginStore) throws -> Int {
        try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM record") ?? 0 }
    }

    static func since(_ store: MarginStore) throws -> Int64? {
        try store.read { db in try LedgerOnlyIngest.since(db) }
    }

    @Test func pushesKeepTheLedgerOnlyAndReadingRebuildsWhatAPullBuilds() throws {
        let history = try BulkLoadTests.history.get()
        let plain = try BulkLoadTests.plainReplay(history)
        var server = try ServerStore(history)
        for page in history.pages(of: 37) { try server.push(page) }

        #expect(try Self.recordRows(server.store) == 0, "no record row is written for a push")
        #expect(try Self.since(server.store) == 1)
        #expect(try server.store.bulkLoadPending())
        #expect(try server.store.versionVector() == plain.versionVector())
        #expect(try server.store.notes().total == 0)

        #expect(try server.store.finishBulkLoad() > 0)
        #expect(try Self.since(server.store) == nil)
        #expect(try !server.store.bulkLoadPending())
        #expect(try BulkLoadTests.state(server.store) == BulkLoadTests.state(plain))
        #expect(try server.store.integrityProblems().isEmpty)
    }

    @Test func aStopWhileHeadsAreRebuiltIsContinuedByTheNextRead() throws {
        let history = try BulkLoadTests.history.get()
        let plain = try BulkLoadTests.plainReplay(history)
        var server = try ServerStore(history)
        for page in history.pages(of: 100) { try server.push(page) }

        struct Stop: Error {}
        var chunks: [Int] = []
        #expect(throws: MarginStoreError.self) {
            try server.store.finishBulkLoad(chunkSize: 40) { count in
                chunks.append(count)
                if chunks.count == 2 { throw Stop() }
            }
        }
        // The first range of 40 revisions gave its records heads and moved the mark; the second rolled back.
        #expect(chunks.count == 2)
        #expect(try Self.since(server.store) == 41)
        #expect(try Self.recordRows(server.store) == chunks[0])
        #expect(try server.store.bulkLoadPending())

        let reopened = try MarginStore.open(at: server.store.path)
        #expect(try reopened.catchUpForReading() > 0)
        #expect(try BulkLoadTests.state(reopened) == BulkLoadTests.state(plain))
    }

    @Test func aLocalWriteBeforeTheStoreIsReadNamesThePushedHeads() throws {
        let history = try BulkLoadTests.history.get()
        let plain = try BulkLoadTests.plainReplay(history)
        let pages = history.pages(of: 50)
        let half = pages.count / 2
        var server = try ServerStore(history)
        for page in pages[..<half] { try server.push(page) }
        try server.store.finishBulkLoad()
        for page in pages[half...] { try server.push(page) }
        #expect(try Self.since(server.store) != nil)

        // A live note of the first half that the second half edited: its row still shows the first half's value
        // and heads.
        let readable = try server.store.read { db in
            Set(try String.fetchAll(db, sql: "SELECT id FROM annotation WHERE deleted = 0").map(RecordID.init(rawValue:)))
        }
        let edited = Set(pages[half...].joined().filter { $0.kind == .annotation && !$0.parents.isEmpty }.map(\.record))
            .intersection(readable)
        let target = try plain.read { db in
            try Row.fetchAll(db, sql: """
                SELECT record.id, record.heads FROM record JOIN annotation ON annotation.id = record.id
                WHERE record.head_count = 1 AND annotation.deleted = 0 ORDER BY record.id
                """)
        }.first { edited.contains(RecordID(rawValue: $0["id"])) }
        let row = try #require(target, "the history edits a live note in its second half")
        let id = RecordID(rawValue: row["id"])
        let pushedHeads = try ParentList.decode(row["heads"])
        let staleHeads = try server.store.read { db in
            try ParentList.decode(try String.fetchOne(db, sql: "SELECT heads FROM record WHERE id = ?", arguments: [id.rawValue]) ?? "[]")
        }
        #expect(staleHeads != pushedHeads, "the row is behind the ledger")

        _ = try server.store.editAnnotation(id.rawValue, text: "服务器上直接改写的一条笔记")
        let written = try server.store.read { db in
            try Revision.fetchAll(db, sql: "SELECT * FROM revision WHERE record_id = ? ORDER BY seq DESC LIMIT 1",
                arguments: [id.rawValue])
        }
        #expect(written.first?.parents == pushedHeads)

        try server.store.finishBulkLoad()
        let settled = try server.store.read { db in
            try Row.fetchOne(db, sql: "SELECT head_count, conflicted FROM record WHERE id = ?", arguments: [id.rawValue])
        }
        #expect(settled?["head_count"] == 1)
        #expect(settled?["conflicted"] == false)
        #expect(try server.store.notes().items.contains { $0.text == "服务器上直接改写的一条笔记" })
    }

    @Test func aRecordHeldOnlyInTheLedgerKeepsItsKind() throws {
        let history = try BulkLoadTests.history.get()
        var server = try ServerStore(history)
        try server.push(Array(history.revisions.prefix(60)))
        #expect(try Self.recordRows(server.store) == 0)
        // A second root of a held record, of another kind: refused, though the record has no row.
        let held = history.revisions.prefix(60).first { $0.kind == .annotation && $0.parents.isEmpty }!
        let stray = Revision(
            record: held.record, kind: RecordKind(rawValue: "later-kind"), parents: [], origin: server.pusher,
            counter: try server.store.versionVector()[server.pusher]! + 1, clock: 9_000, author: "x",
            createdAt: 1_700_000_000_000, body: "{}")
        let error = #expect(throws: MarginStoreError.self) { try server.push([stray]) }
        guard case .core(let core) = error?.kind, case .invalidRevision(_, let rule, _) = core.kind else {
            Issue.record("expected a refused revision, got \(String(describing: error))")
            return
        }
        #expect(rule == .kindChange)
    }

    @Test("an edit of a record held only in the ledger is of its held parent's kind, or refused")
    func anEditOfAHeldRecordKeepsItsKind() throws {
        let history = try BulkLoadTests.history.get()
        var server = try ServerStore(history)
        try server.push(Array(history.revisions.prefix(60)))
        let held = history.revisions.prefix(60).first { $0.kind == .annotation && $0.parents.isEmpty }!
        let before = try server.store.versionVector()
        let edit = Revision(
            record: held.record, kind: RecordKind(rawValue: "later-kind"), parents: [held.id], origin: server.pusher,
            counter: before[server.pusher]! + 1, clock: 9_000, author: "x", createdAt: 1_700_000_000_000,
            body: held.body)
        let error = #expect(throws: MarginStoreError.self) { try server.push([edit]) }
        guard case .core(let core) = error?.kind, case .invalidRevision(_, let rule, _) = core.kind else {
            Issue.record("expected a refused revision, got \(String(describing: error))")
            return
        }
        // The parent it names is of the record's own kind, the annotation's.
        #expect(rule == .parentRecord)
        #expect(try server.store.versionVector() == before)
    }
}
