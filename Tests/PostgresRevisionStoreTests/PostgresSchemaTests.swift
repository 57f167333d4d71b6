import PostgresNIO
@testable import PostgresRevisionStore
import PostgresTestSupport
import Testing

/// The schema is made once, whoever starts first, and a database from a newer margin is refused.
@Suite("PostgreSQL store: schema")
struct PostgresSchemaTests {
    @Test func migratingAgainAndFromSeveralServersAtOnceChangesNothing() async throws {
        try await TestPostgres.withDatabase { url in
            try await PostgresRevisionRepository.withRepository(url: url) { repository in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<4 { group.addTask { try await repository.migrate() } }
                    try await group.waitForAll()
                }
                try await repository.push(PostgresPageRoundTripTests.history())
                try await repository.migrate()
                #expect(try await repository.allRevisions() == PostgresPageRoundTripTests.history())
                var versions: [Int] = []
                for try await version in try await repository.client.query("SELECT version FROM margin_schema").decode(Int.self) {
                    versions.append(version)
                }
                #expect(versions == [PostgresSchema.currentVersion])
            }
        }
    }

    @Test func aDatabaseFromANewerMarginIsRefused() async throws {
        try await TestPostgres.withDatabase { url in
            try await PostgresRevisionRepository.withRepository(url: url) { repository in
                _ = try await repository.client.query("UPDATE margin_schema SET version = 99")
            }
            do {
                try await PostgresRevisionRepository.withRepository(url: url) { _ in }
                Issue.record("a newer schema was used")
            } catch let error as PostgresRevisionStoreError {
                guard case .schemaTooNew(found: 99, supported: PostgresSchema.currentVersion) = error.kind else {
                    Issue.record("\(error)")
                    return
                }
            }
        }
    }

    /// Version 3 made `server_peer` a migration; a version-2 database whose servers made it themselves (as margin 0.10
    /// did) keeps its peer id.
    @Test func aVersionTwoDatabaseKeepsTheServerPeerItsServersMade() async throws {
        try await TestPostgres.withDatabase { url in
            let made = try await PostgresRevisionRepository.withRepository(url: url) { repository in
                _ = try await repository.client.query("DROP TABLE server_peer")
                _ = try await repository.client.query("UPDATE margin_schema SET version = 2")
                _ = try await repository.client.query("""
                    CREATE TABLE server_peer (
                        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton), peer text COLLATE "C" NOT NULL)
                    """)
                _ = try await repository.client.query("INSERT INTO server_peer (peer) VALUES ('00112233445566ff')")
                return "00112233445566ff"
            }
            try await PostgresRevisionRepository.withRepository(url: url) { repository in
                #expect(try await repository.serverPeerID().rawValue == made)
                var versions: [Int] = []
                for try await version in try await repository.client.query("SELECT version FROM margin_schema").decode(Int.self) {
                    versions.append(version)
                }
                #expect(versions == [3])
            }
        }
    }

    @Test func serversAskingAtOnceGetOnePeerID() async throws {
        try await TestPostgres.withRepository { repository in
            let peers = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<8 { group.addTask { try await repository.serverPeerID().rawValue } }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            #expect(peers.count == 1)
        }
    }
}
