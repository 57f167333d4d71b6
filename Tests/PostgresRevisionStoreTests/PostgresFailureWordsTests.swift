import _ConnectionPoolModule
import Foundation
import MarginTestSupport
import NIOCore
import PostgresTestSupport
@testable import PostgresRevisionStore
import SyncBackend
import SyncProtocol
import Testing

/// Why PostgreSQL could not serve, in plain words: the address and the system's reason for a connection that could
/// not be made, and never the database's address in what a client hears.
@Suite struct PostgresFailureWordsTests {
    @Test func theSystemsReasonForAnIOErrorAndPlainWordsForThePool() {
        #expect(PostgresFailureWords.describe(IOError(errnoCode: ECONNREFUSED, reason: "connect")) == "Connection refused")
        #expect(PostgresFailureWords.describe(ChannelError.connectTimeout(.seconds(10))) == "connecting timed out")
        let tripped = PostgresFailureWords.describe(ConnectionPoolError.connectionCreationCircuitBreakerTripped)
        #expect(tripped == "connecting to PostgreSQL has kept failing, and the pool waits before it tries again")
        #expect(PostgresFailureWords.describe(ConnectionPoolError.poolShutdown) == "the connection pool is shut down")
    }

    @Test func aPortNobodyListensOnIsNamedWithTheSystemsReason() async throws {
        let port = try LoopbackSocket.closedPort()
        let url = "postgresql://margin@127.0.0.1:\(port)/margin"
        let error = await #expect(throws: PostgresRevisionStoreError.self) {
            try await PostgresDatabaseURL.checkConnection(to: url)
        }
        guard let error, case let .unreachable(words) = error.kind else {
            Issue.record("expected .unreachable, got \(String(describing: error))")
            return
        }
        #expect(words == "cannot connect to 127.0.0.1:\(port): Connection refused")
        #expect(error.description == "PostgreSQL cannot be reached now: \(words). Nothing was changed; try again shortly.")

        // A client hears that the database cannot be reached, not where it is.
        let refusal = try #require(SyncRefusal(serving: error))
        #expect(refusal.code == .unavailable)
        #expect(refusal.message.contains("PostgreSQL cannot be reached now"))
        #expect(!refusal.message.contains(String(port)) && !refusal.message.contains("127.0.0.1"), "\(refusal.message)")
    }

    @Test func aSocketFolderWithoutPostgreSQLSaysWhatTheSystemSaid() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("margin-no-postgres-\(UUID().uuidString)")
        let error = await #expect(throws: PostgresRevisionStoreError.self) {
            try await PostgresDatabaseURL.checkConnection(to: "postgresql://margin@/margin?host=\(folder.path)")
        }
        let socket = folder.appendingPathComponent(".s.PGSQL.5432").path
        #expect(error?.description.contains("cannot connect to the socket \(socket): No such file or directory") == true,
            "\(String(describing: error))")
        #expect(error?.description.contains("PSQLError") == false, "\(String(describing: error))")
    }

    @Test func aURLThatRequiresTLSOfAServerWithoutItSaysSoInWords() async throws {
        // The test cluster runs without TLS (scripts/postgres-test-cluster.sh), as many a local server does.
        try await TestPostgres.withDatabase { url in
            let error = await #expect(throws: PostgresRevisionStoreError.self) {
                try await PostgresDatabaseURL.checkConnection(to: url + "?sslmode=require")
            }
            let words = String(describing: error)
            #expect(words.contains("the PostgreSQL server does not offer TLS, which the URL's sslmode requires"), "\(words)")
            #expect(!words.contains("PSQLError"), "\(words)")
        }
    }
}
