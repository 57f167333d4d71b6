import MarginCore
import PostgresNIO
import PostgresRevisionStore
import PostgresTestSupport
import Testing

/// A page whose transaction meets another writer's uncommitted rows waits for it, and once that writer commits is
/// judged again from a fresh snapshot: the other's revisions are then duplicates, or a clean rejection. Made
/// deterministic by holding the other writer's transaction open until the page is seen waiting on its lock.
@Suite("PostgreSQL store: pages that meet another writer")
struct PostgresConflictRetryTests {
    /// Runs `receive` while another connection holds `statements` uncommitted, commits them once `receive` waits on
    /// a lock, and returns what `receive` did.
    func receive(
        _ page: [Revision], history: [Revision] = [], whileHolding statements: [PostgresQuery], url: String
    ) async throws -> (result: Result<ReceiveOutcome, PostgresRevisionStoreError>, conflicts: Int) {
        try await PostgresRevisionRepository.withRepository(url: url) { other in
            try await PostgresRevisionRepository.withRepository(url: url) { repository in
                try await other.client.withConnection { connection in
                    try await connection.query("BEGIN", logger: Self.logger)
                    for statement in statements { try await connection.query(statement, logger: Self.logger) }
                    async let outcome = storeResult { try await repository.push(page, history: history) }
                    var waiting = false
                    for _ in 0..<400 where !waiting {
                        let rows = try await other.client.query("""
                            SELECT count(*) FROM pg_stat_activity
                            WHERE datname = current_database() AND wait_event_type = 'Lock'
                            """)
                        for try await count in rows.decode(Int64.self) { waiting = count > 0 }
                        if !waiting { try await Task.sleep(for: .milliseconds(25)) }
                    }
                    #expect(waiting, "the page never waited for the other writer")
                    try await connection.query("COMMIT", logger: Self.logger)
                    return (await outcome, repository.conflictsResolved)
                }
            }
        }
    }

    static let logger = PostgresRevisionRepository.silentLogger


    /// The statements another server runs to store `revision` (a record's first revision) and advance the vector.
    static func storing(_ revision: Revision) -> [PostgresQuery] {
        [
            "INSERT INTO record (id, kind) VALUES (\(revision.record.rawValue), \(revision.kind.rawValue))",
            """
            INSERT INTO revision (
                id, record_id, kind, parents, origin, counter, clock, author, created_at, body, source, logged_at)
            VALUES (
                \(revision.id.rawValue), \(revision.record.rawValue), \(revision.kind.rawValue),
                \(revision.parents.map(\.rawValue))::text[], \(revision.origin.rawValue), \(revision.counter),
                \(revision.clock), \(revision.author), \(revision.createdAt), \(revision.body), 'push:other', 0)
            """,
            """
            INSERT INTO sync_vector (origin, counter, chain)
            VALUES (
                \(revision.origin.rawValue), \(revision.counter),
                decode(\(RevisionChain.start(of: revision.origin).appending(revision.id).hexadecimal), 'hex'))
            ON CONFLICT (origin) DO UPDATE SET counter = GREATEST(sync_vector.counter, excluded.counter)
            """,
        ]
    }

    @Test func theOtherWritersRevisionsBecomeDuplicates() async throws {
        var peer = TestPeer(1)
        let first = peer.create("a")
        let second = peer.edit(first.record, text: "second")
        try await TestPostgres.withDatabase { url in
            let (result, conflicts) = try await receive([first, second], whileHolding: Self.storing(first), url: url)
            #expect(try result.get() == .init(accepted: 1, duplicates: 1))
            #expect(conflicts == 1)
        }
    }

    @Test func anotherRevisionAtTheSameCounterIsACleanRejection() async throws {
        var peer = TestPeer(1)
        var twin = TestPeer(1)
        let mine = peer.create("a", text: "mine")
        let theirs = twin.create("a", text: "theirs")
        try await TestPostgres.withDatabase { url in
            let (result, conflicts) = try await receive([mine], whileHolding: Self.storing(theirs), url: url)
            guard case let .failure(error) = result else {
                Issue.record("both revisions were accepted")
                return
            }
            #expect(error.rejection?.revision == mine.id)
            #expect(error.rejection?.rule == .counterReused)
            #expect(conflicts == 1)
        }
    }

    @Test func aVectorRowChangedMeanwhileIsASerializationFailureThenSuccess() async throws {
        var peer = TestPeer(1)
        let first = peer.create("a")
        let second = peer.create("b")
        try await TestPostgres.withDatabase { url in
            _ = try await PostgresRevisionRepository.withRepository(url: url) {
                try await $0.push([first])
            }
            // The other writer only touches the origin's vector row; the page then cannot update it from its
            // snapshot (40001) and is judged again.
            let touch: PostgresQuery = "UPDATE sync_vector SET counter = counter WHERE origin = \(peer.id.rawValue)"
            let (result, conflicts) = try await receive([second], history: [first], whileHolding: [touch], url: url)
            #expect(try result.get() == .init(accepted: 1, duplicates: 0))
            #expect(conflicts == 1)
        }
    }
}
