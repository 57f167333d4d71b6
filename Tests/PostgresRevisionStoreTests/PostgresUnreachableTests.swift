import MarginCore
import _ConnectionPoolModule
import PostgresNIO
@testable import PostgresRevisionStore
import PostgresTestSupport
import SyncBackend
import SyncProtocol
import Testing

/// A database that cannot serve a request now (its connection ended by the server, say) is the client's to retry:
/// the backend answers 503 `unavailable` with `Retry-After`, not 500, and serves again once the database does.
@Suite("PostgreSQL store: a database that cannot serve now")
struct PostgresUnreachableTests {
    static let logger = PostgresRevisionRepository.silentLogger

    @Test func aConnectionEndedByTheServerMidRequestIsAnswered503WithRetryAfter() async throws {
        try await TestPostgres.withDatabase { url in
            try await PostgresRevisionRepository.withRepository(url: url) { other in
                try await PostgresRevisionRepository.withRepository(url: url) { repository in
                    let backend = try await PostgresSyncBackend(repository)
                    let outcome: Result<VersionVector, any Error> = try await other.client.withConnection { connection in
                        // The vector waits on this lock, so its connection is found and ended while in a request.
                        try await connection.query("BEGIN", logger: Self.logger)
                        try await connection.query("LOCK TABLE sync_vector IN ACCESS EXCLUSIVE MODE", logger: Self.logger)
                        async let read = Self.result { try await backend.vector() }
                        // Found first, then ended by its pid alone: other suites share the cluster.
                        var waiting: [Int32] = []
                        for _ in 0..<400 where waiting.isEmpty {
                            let rows = try await other.client.query("""
                                SELECT pid FROM pg_stat_activity
                                WHERE datname = current_database() AND wait_event_type = 'Lock'
                                """)
                            for try await pid in rows.decode(Int32.self) { waiting.append(pid) }
                            if waiting.isEmpty { try await Task.sleep(for: .milliseconds(25)) }
                        }
                        // The fault landed: exactly the waiting request's connection was ended.
                        #expect(waiting.count == 1)
                        var ended = false
                        if let pid = waiting.first {
                            for try await done in try await other.client.query("SELECT pg_terminate_backend(\(pid))")
                                .decode(Bool.self) { ended = done }
                        }
                        #expect(ended)
                        let outcome = await read
                        try await connection.query("ROLLBACK", logger: Self.logger)
                        return outcome
                    }
                    switch outcome {
                    case .success:
                        Issue.record("the request whose connection was ended succeeded")
                    case let .failure(error):
                        let refusal = try #require(error as? SyncRefusal, "\(error)")
                        #expect(refusal.code == .unavailable)
                        #expect(refusal.code.httpStatus == 503)
                        #expect(refusal.retryAfterSeconds == 5)
                        #expect(refusal.message.contains("PostgreSQL cannot be reached now"), "\(refusal.message)")
                    }
                    // The pool replaces the ended connection: the next request is served.
                    #expect(try await backend.vector() == VersionVector())
                }
            }
        }
    }

    @Test func aPoolThatCannotConnectIsUnreachableAndAStatementPostgreSQLRefusesIsNot() async throws {
        let tripped = PostgresRevisionRepository.storeError(from: ConnectionPoolError.connectionCreationCircuitBreakerTripped)
        guard case .unreachable = tripped.kind else {
            Issue.record("expected .unreachable, got \(tripped)")
            return
        }
        #expect(SyncRefusal(serving: tripped)?.code == .unavailable)

        try await TestPostgres.withRepository { repository in
            // A statement PostgreSQL refuses for itself, not for the connection, stays the server's own failure (500).
            let refused = await Self.result { try await repository.client.query("SELECT no_such_column FROM sync_vector") }
            guard case let .failure(error) = refused else {
                Issue.record("a bad statement succeeded")
                return
            }
            let stored = PostgresRevisionRepository.storeError(from: error)
            guard case .database = stored.kind else {
                Issue.record("expected .database, got \(stored)")
                return
            }
            #expect(SyncRefusal(serving: stored) == nil)
        }
    }

    static func result<Value>(_ work: () async throws -> Value) async -> Result<Value, any Error> {
        do {
            return .success(try await work())
        } catch {
            return .failure(error)
        }
    }
}
