import Foundation
import PostgresTestSupport

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
        try await TestPostgres.execute("DROP DATABASE IF EXISTS \(Self.name) WITH (FORCE)", at: primary)
        try await TestPostgres.execute("CREATE DATABASE \(Self.name)", at: primary)
        try await waitForReplay()
        return (
            try TestPostgres.url(primary, database: Self.name), try TestPostgres.url(replica, database: Self.name)
        )
    }

    /// Waits until the standby has replayed everything the primary had written when called, at most a minute.
    func waitForReplay() async throws {
        try await TestPostgres.waitForReplica(of: primary, at: replica)
    }
}
