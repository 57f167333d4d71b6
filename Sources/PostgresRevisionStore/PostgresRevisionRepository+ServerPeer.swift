import MarginCore
import PostgresNIO

extension PostgresRevisionRepository {
    /// The peer id every server over this database answers as: made at random by the first server that asks, and
    /// kept in `server_peer` (one row), so that all servers, now and after restarts, are the same peer to clients.
    public func serverPeerID() async throws -> PeerID {
        let candidate = PeerID.random()
        return try await databaseErrors {
            try await PostgresTransaction.run(client, isolation: .readCommitted, logger: logger) { connection in
                // Servers starting together make the table once, one after another.
                try await connection.query("SELECT pg_advisory_xact_lock(\(PostgresSchema.migrationLockKey))", logger: logger)
                try await connection.query("""
                    CREATE TABLE IF NOT EXISTS server_peer (
                        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
                        peer text COLLATE "C" NOT NULL)
                    """, logger: logger)
                try await connection.query(
                    "INSERT INTO server_peer (peer) VALUES (\(candidate.rawValue)) ON CONFLICT (singleton) DO NOTHING",
                    logger: logger)
                for try await peer in try await connection.query("SELECT peer FROM server_peer", logger: logger)
                    .decode(String.self)
                {
                    return PeerID(rawValue: peer)
                }
                return candidate
            }
        }
    }
}
