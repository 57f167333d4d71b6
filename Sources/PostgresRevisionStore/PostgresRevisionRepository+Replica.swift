import MarginCore
import PostgresNIO

extension PostgresRevisionRepository {
    /// Checks that this repository's database is a read replica of the database whose servers answer as `primary`,
    /// at this margin's schema, so that pulls may be answered from it. A replica that has not yet replayed the
    /// primary's schema or server identity (a database made a moment ago) is waited for, at most `wait`.
    ///
    /// - Throws: ``PostgresRevisionStoreError`` `.notAReplica` for a database of another server, one at another
    ///   schema version, or one still without the primary's tables after `wait`; `.unreachable` or `.database` when
    ///   it cannot be read.
    public func checkReplica(of primary: PeerID, wait: Duration = .seconds(10)) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: wait)
        while true {
            let (version, peer) = try await replicaIdentity()
            if let peer, peer != primary {
                throw PostgresRevisionStoreError(.notAReplica(
                    "its servers answer as peer \(peer.rawValue), and the primary's as \(primary.rawValue): it is a copy of another database"))
            }
            if let version, version > PostgresSchema.currentVersion {
                throw PostgresRevisionStoreError(.notAReplica(
                    "it holds schema version \(version), newer than the primary's \(PostgresSchema.currentVersion): it follows another database"))
            }
            if peer != nil, version == PostgresSchema.currentVersion { return }
            // Not yet replayed: the primary's tables, migrations or identity were written a moment ago.
            guard clock.now < deadline else {
                let held = version.map { "schema version \($0)" } ?? "no margin tables"
                throw PostgresRevisionStoreError(.notAReplica(
                    "after \(wait) it still holds \(held)\(peer == nil ? " and no server identity" : ""), where the primary is at schema version \(PostgresSchema.currentVersion); point it at a replica of the primary's database, and check that it replays"))
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// How far the primary's write-ahead log reaches now, in bytes from its start: its insert position, which is past
    /// every transaction committed before the call (with `synchronous_commit` off, a commit may be inserted and not
    /// yet written).
    public func logPosition() async throws -> Int64 {
        try await position("SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::bigint") ?? 0
    }

    /// How far this read replica has replayed its primary's write-ahead log, in bytes from its start; nil for a
    /// database that replays no log (a primary, a restored copy, a logical replica), whose lag cannot be measured.
    public func replayedPosition() async throws -> Int64? {
        try await position("SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0')::bigint")
    }

    /// The log position `query` reads, as bytes from the log's start.
    private func position(_ query: PostgresQuery) async throws -> Int64? {
        try await databaseErrors {
            try await PostgresTransaction.run(connections, isolation: .readCommitted, readOnly: true, logger: logger) {
                connection in
                var position: Int64?
                let rows = try await connection.query(query, logger: logger)
                for try await found in rows.decode(Int64?.self) { position = found }
                return position
            }
        }
    }

    /// The schema version and server peer this database holds, each nil when it has none yet.
    private func replicaIdentity() async throws -> (version: Int?, peer: PeerID?) {
        try await databaseErrors {
            try await PostgresTransaction.run(connections, isolation: .readCommitted, readOnly: true, logger: logger) {
                connection in
                var version: Int?
                var peer: PeerID?
                let tables = try await connection.query(
                    "SELECT to_regclass('margin_schema') IS NOT NULL, to_regclass('server_peer') IS NOT NULL",
                    logger: logger)
                var (hasSchema, hasPeer) = (false, false)
                for try await (schema, server) in tables.decode((Bool, Bool).self) { (hasSchema, hasPeer) = (schema, server) }
                if hasSchema {
                    for try await found in try await connection.query("SELECT version FROM margin_schema", logger: logger)
                        .decode(Int.self)
                    {
                        version = found
                    }
                }
                if hasPeer {
                    for try await found in try await connection.query("SELECT peer FROM server_peer", logger: logger)
                        .decode(String.self)
                    {
                        peer = PeerID(rawValue: found)
                    }
                }
                return (version, peer)
            }
        }
    }
}
