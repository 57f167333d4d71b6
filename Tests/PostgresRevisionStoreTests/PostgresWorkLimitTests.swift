import Logging
import PostgresNIO
import PostgresTestSupport
import Testing

@testable import PostgresRevisionStore

/// Work on an open connection that does not end (here: a lock held elsewhere; likewise a database that stopped
/// answering) fails as unreachable once it has run the repository's work limit, and the repository serves again
/// once the database does.
@Suite struct PostgresWorkLimitTests {
    static let logger = Logger(label: "margin.tests.work-limit")

    @Test func workWaitingOnALockHeldElsewhereFailsAsUnreachableAndTheRepositoryServesAfter() async throws {
        try await TestPostgres.withDatabase { url in
            try await PostgresRevisionRepository.withRepository(
                url: url, maximumConnections: 2, workLimit: .seconds(1)
            ) { repository in
                _ = try await repository.vector()
                let holder = PostgresClient(configuration: try PostgresDatabaseURL.configuration(from: url))
                try await PoolRun.whileRunning(holder) {
                    try await holder.withConnection { connection in
                        try await connection.query("BEGIN", logger: Self.logger)
                        try await connection.query("LOCK TABLE sync_vector IN ACCESS EXCLUSIVE MODE", logger: Self.logger)
                        // The fault landed: the lock is granted to this connection.
                        var held = 0
                        for try await count in try await connection.query(
                            "SELECT count(*)::int FROM pg_locks WHERE relation = 'sync_vector'::regclass AND mode = 'AccessExclusiveLock' AND granted",
                            logger: Self.logger
                        ).decode(Int.self) { held = count }
                        #expect(held == 1)

                        let error = await #expect(throws: PostgresRevisionStoreError.self) { try await repository.vector() }
                        guard case let .unreachable(words)? = error?.kind else {
                            Issue.record("expected .unreachable, got \(String(describing: error))")
                            return
                        }
                        #expect(words == "PostgreSQL did not finish the work within 1.0 seconds", "\(words)")
                        try await connection.query("ROLLBACK", logger: Self.logger)
                    }
                }
                // The lock released, the same repository answers again (its closed connection was replaced).
                #expect(try await repository.vector().counters.isEmpty)
            }
        }
    }
}
