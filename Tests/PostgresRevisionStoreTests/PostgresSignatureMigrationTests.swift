import MarginCore
import PostgresNIO
@testable import PostgresRevisionStore
import PostgresTestSupport
import SyncProtocol
import Testing

/// A database made before signatures (schema 1) is brought to schema 2 with every origin's chain computed from the
/// revisions it holds, so that signed pages continue from them.
@Suite("PostgreSQL store: migrating to signatures")
struct PostgresSignatureMigrationTests {
    /// Makes a schema-1 database at `url` holding `revisions`, as a margin before signatures left it.
    static func makeVersionOne(at url: String, holding revisions: [Revision]) async throws {
        let repository = try PostgresRevisionRepository(url: url, maximumConnections: 2)
        try await repository.whileRunning {
            let logger = PostgresRevisionRepository.silentLogger
            try await PostgresTransaction.run(repository.connections, isolation: .readCommitted, logger: logger) { connection in
                try await connection.query("""
                    CREATE TABLE margin_schema (
                        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton), version integer NOT NULL)
                    """, logger: logger)
                try await connection.query("INSERT INTO margin_schema (version) VALUES (1)", logger: logger)
                for statement in PostgresSchema.migrations[0] {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                var records: [String: String] = [:]
                for revision in revisions where records[revision.record.rawValue] == nil {
                    records[revision.record.rawValue] = revision.kind.rawValue
                }
                try await connection.query("""
                    INSERT INTO record (id, kind) SELECT * FROM unnest(\(Array(records.keys))::text[], \(Array(records.values))::text[])
                    """, logger: logger)
                try await RevisionRow.insert(revisions, source: "push:old", loggedAt: 0, connection, logger: logger)
                var vector = VersionVector()
                for revision in revisions { vector.add(revision) }
                let origins = vector.origins.map(\.rawValue)
                let counters = vector.origins.map { vector[$0] }
                try await connection.query(
                    "INSERT INTO sync_vector (origin, counter) SELECT * FROM unnest(\(origins)::text[], \(counters)::int8[])",
                    logger: logger)
            }
        }
    }

    @Test func aVersionOneDatabaseGetsItsChainsAndTakesSignedPagesAfter() async throws {
        let history = PostgresPageRoundTripTests.history()
        let held = Array(history.prefix(25))
        try await TestPostgres.withDatabase { url in
            try await Self.makeVersionOne(at: url, holding: held)
            try await PostgresRevisionRepository.withRepository(url: url) { repository in
                var version = 0
                for try await found in try await repository.client.query("SELECT version FROM margin_schema").decode(Int.self) {
                    version = found
                }
                #expect(version == PostgresSchema.currentVersion)
                var chains: [PeerID: String] = [:]
                for try await (origin, chain) in try await repository.client.query(
                    "SELECT origin, encode(chain, 'hex') FROM sync_vector"
                ).decode((String, String).self) {
                    chains[PeerID(rawValue: origin)] = chain
                }
                let vector = try await repository.vector()
                #expect(Set(chains.keys) == Set(vector.origins))
                for origin in vector.origins {
                    let expected = TestSigning.chain(of: origin, through: vector[origin], in: held)
                    #expect(chains[origin] == expected?.hexadecimal)
                }
                // Revisions from before signatures are sent without proofs; nothing is bound yet.
                let old = try await repository.page(missingFrom: VersionVector(), limit: 100, maxBytes: 1 << 20)
                #expect(old.revisions == held)
                #expect(old.proofs.isEmpty)
                // The rest, signed over the whole history, continues from the computed chains.
                let outcome = try await repository.push(Array(history.suffix(from: 25)), history: history)
                #expect(outcome == .init(accepted: history.count - 25, duplicates: 0))
                #expect(try await repository.allRevisions() == history)
                let whole = try await repository.page(missingFrom: VersionVector(), limit: 100, maxBytes: 1 << 20)
                #expect(whole.proofs.count == Set(history.map(\.origin)).count)
            }
        }
    }
}
