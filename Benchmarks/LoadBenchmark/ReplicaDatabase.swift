import Foundation
import PostgresNIO
import PostgresRevisionStore

/// A database of its own for the replica run, on the primary and, once replayed, on its streaming standby; and the
/// wait for the standby to replay what the primary has written.
struct ReplicaDatabase {
    /// The primary's administration URL (any database on it; the new one is made beside it).
    let primary: String
    /// The same on the standby.
    let replica: String

    /// The name of the database the replica run serves.
    static let name = "margin_load_replica"

    /// Makes the run's empty database (dropping one left by an earlier run), waits until the standby has it, and
    /// returns its URLs on the primary and on the standby.
    func make() async throws -> (primary: String, replica: String) {
        try await run("DROP DATABASE IF EXISTS \(Self.name) WITH (FORCE)", at: primary)
        try await run("CREATE DATABASE \(Self.name)", at: primary)
        try await waitForReplay()
        return (try Self.url(primary, database: Self.name), try Self.url(replica, database: Self.name))
    }

    /// Waits until the standby has replayed everything the primary had written when called (by the WAL's insert
    /// position, since the test cluster commits without waiting for the flush), at most a minute.
    func waitForReplay() async throws {
        guard let written = try await run("SELECT pg_current_wal_insert_lsn()::text", at: primary) else {
            throw LoadOptions.UsageError(description: "the primary gave no WAL position")
        }
        for _ in 0..<1200 {
            if try await run("SELECT (pg_last_wal_replay_lsn() >= '\(written)'::pg_lsn)::text", at: replica) == "true" {
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw LoadOptions.UsageError(description: "the standby did not replay up to \(written) within a minute")
    }

    /// Runs one statement on the database at `url` and returns its first row's first column as text, if any.
    @discardableResult
    private func run(_ sql: String, at url: String) async throws -> String? {
        let client = PostgresClient(configuration: try PostgresDatabaseURL.configuration(from: url))
        return try await PoolRun.whileRunning(client) {
            var first: String?
            for try await row in try await client.query(PostgresQuery(unsafeSQL: sql)) where first == nil {
                first = try row.makeRandomAccess()[0].decode(String?.self)
            }
            return first
        }
    }

    /// `base` with its database replaced by `database`.
    static func url(_ base: String, database: String) throws -> String {
        guard var components = URLComponents(string: base) else {
            throw LoadOptions.UsageError(description: "“\(base)” is not a URL")
        }
        components.path = "/" + database
        guard let url = components.string else { throw LoadOptions.UsageError(description: "“\(base)” is not a URL") }
        return url
    }
}
