import PostgresNIO
import PostgresRevisionStore
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
                #expect(versions == [2])
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
                guard case .schemaTooNew(found: 99, supported: 2) = error.kind else {
                    Issue.record("\(error)")
                    return
                }
            }
        }
    }
}
