import MarginCore
import PostgresNIO

extension PostgresRevisionRepository {
    /// The peer id every server over this database answers as: made at random by the first server that asks, and
    /// kept in `server_peer` (one row, schema v3), so that all servers, now and after restarts, are the same peer to
    /// clients. Servers asking at once all get the first row written.
    public func serverPeerID() async throws -> PeerID {
        let candidate = PeerID.random()
        return try await databaseErrors {
            try await PostgresTransaction.run(connections, isolation: .readCommitted, logger: logger) { connection in
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
