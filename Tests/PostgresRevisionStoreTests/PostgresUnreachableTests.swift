import MarginCore
import _ConnectionPoolModule
import PostgresNIO
@testable import PostgresRevisionStore
import PostgresTestSupport
import SyncBackend
import SyncProtocol
import Testing

/// A database that cannot serve a request now (a pool that cannot connect, a connection the server ended) is the
/// client's to retry: the backend answers 503 `unavailable` with `Retry-After`, not 500. A statement PostgreSQL
/// refuses for itself stays the server's own failure.
@Suite("PostgreSQL store: a database that cannot serve now")
struct PostgresUnreachableTests {
    @Test func aPoolThatCannotConnectIsUnreachableAndAStatementPostgreSQLRefusesIsNot() async throws {
        let tripped = PostgresRevisionRepository.storeError(from: ConnectionPoolError.connectionCreationCircuitBreakerTripped)
        guard case .unreachable = tripped.kind else {
            Issue.record("expected .unreachable, got \(tripped)")
            return
        }
        let refusal = try #require(SyncRefusal(serving: tripped))
        #expect(refusal.code == .unavailable)
        #expect(refusal.code.httpStatus == 503)
        #expect(refusal.retryAfterSeconds == 5)
        #expect(refusal.message.contains("PostgreSQL cannot be reached now"), "\(refusal.message)")

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
