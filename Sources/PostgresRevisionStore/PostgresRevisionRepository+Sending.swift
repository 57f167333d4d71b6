import Logging
import MarginCore
import PostgresNIO
import SyncProtocol

extension PostgresRevisionRepository {
    /// The version vector: for every origin, the highest counter held.
    public func vector() async throws -> VersionVector {
        try await databaseErrors {
            try await PostgresTransaction.run(connections, isolation: .readCommitted, readOnly: true, logger: logger) {
                try await Self.vector($0, logger: logger)
            }
        }
    }

    /// The first page of revisions a peer holding `have` lacks, in change-log order; the embedded store's contract:
    /// at most `limit` revisions (at least 1), stopping before `maxBytes` as `SyncCoding.estimatedSize(of:)` measures
    /// them, but never empty while anything is missing; `more` when the peer still lacks revisions after it.
    ///
    /// The page carries its proofs (one per origin, see ``RevisionPage/proofs``), read from the same snapshot.
    ///
    /// One snapshot for the vector, the revisions and the proofs, and one query for the revisions: for each origin where the database is ahead,
    /// its first `limit` missing revisions by counter (a range of the `(origin, counter)` index), merged by seq; only
    /// the chosen revisions' rows are read whole. Work is bounded by origins × `limit` index entries, whatever the
    /// history's length (measured on 200,000 revisions of 20 origins: 1 ms for a peer that lacks 10 per origin,
    /// 11 ms for a first page of 500, 205 ms for a first page of 5,000).
    public func page(missingFrom have: VersionVector, limit: Int, maxBytes: Int) async throws -> RevisionPage {
        let limit = max(1, limit)
        return try await databaseErrors {
            try await PostgresTransaction.run(connections, isolation: .repeatableRead, readOnly: true, logger: logger) { connection in
                let local = try await Self.vector(connection, logger: logger)
                let ahead = local.origins.filter { local[$0] > have[$0] }
                if ahead.isEmpty { return RevisionPage(revisions: [], more: false) }
                let origins = ahead.map(\.rawValue)
                let above = ahead.map { have[$0] }
                // An origin's counters have no gaps, so its first `limit` missing revisions are exactly the
                // counters above+1 … above+limit: a bounded range of the (origin, counter) index, which carries seq
                // (the lateral subquery keeps the planner from scanning the whole log in seq order instead). Whole
                // rows are read for the chosen revisions alone.
                let rows = try await connection.query("""
                    WITH chosen AS (
                        SELECT candidate.seq
                        FROM unnest(\(origins)::text[], \(above)::int8[]) AS wanted(origin, above)
                        CROSS JOIN LATERAL (
                            SELECT seq FROM revision
                            WHERE revision.origin = wanted.origin AND revision.counter > wanted.above
                                AND revision.counter <= wanted.above + \(limit)
                            LIMIT \(limit)) AS candidate
                        ORDER BY candidate.seq LIMIT \(limit))
                    SELECT \(unescaped: RevisionRow.columns) FROM revision JOIN chosen USING (seq) ORDER BY seq
                    """, logger: logger)
                var revisions: [Revision] = []
                var bytes = 0
                var sent = have
                for try await row in rows {
                    let revision = try RevisionRow.decode(row)
                    let cost = SyncCoding.estimatedSize(of: revision)
                    if !revisions.isEmpty, bytes + cost > maxBytes { break }
                    revisions.append(revision)
                    bytes += cost
                    sent.add(revision)
                }
                let proofs = try await SignatureRows.proofs(for: revisions, connection, logger: logger)
                return RevisionPage(revisions: revisions, more: !sent.covers(local), proofs: proofs)
            }
        }
    }

    /// The highest counter held of `origin`; 0 when none is held.
    public func counter(of origin: PeerID) async throws -> Int64 {
        try await onConnection { connection in
            let rows = try await connection.query(
                "SELECT counter FROM sync_vector WHERE origin = \(origin.rawValue)", logger: logger)
            var counter: Int64 = 0
            for try await value in rows.decode(Int64.self) { counter = value }
            return counter
        }
    }

    /// The held revision of `origin` with the highest counter, if any.
    public func newestRevision(of origin: PeerID) async throws -> Revision? {
        try await onConnection { connection in
            let rows = try await connection.query("""
                SELECT \(unescaped: RevisionRow.columns) FROM revision
                WHERE origin = \(origin.rawValue) ORDER BY counter DESC LIMIT 1
                """, logger: logger)
            var newest: Revision?
            for try await row in rows { newest = try RevisionRow.decode(row) }
            return newest
        }
    }

    /// The account each of these keys belongs to, where it belongs to a named account: what a pull's answer tells
    /// the client about the page's signers.
    public func accountNames(of keys: [SigningKeyID]) async throws -> [SigningKeyID: String] {
        let keys = Array(Set(keys.map(\.rawValue)))
        guard !keys.isEmpty else { return [:] }
        return try await onConnection { connection in
            var names: [SigningKeyID: String] = [:]
            for try await (key, account) in try await connection.query(
                "SELECT key, account FROM key_account WHERE key = ANY(\(keys)::text[]) AND account IS NOT NULL",
                logger: logger
            ).decode((String, String).self) {
                names[SigningKeyID(rawValue: key)] = account
            }
            return names
        }
    }

    /// The key `origin` is bound to (the first that signed it here), if any.
    public func signingKey(of origin: PeerID) async throws -> SigningKeyID? {
        try await onConnection { connection in
            var key: SigningKeyID?
            for try await found in try await connection.query(
                "SELECT key FROM origin_key WHERE origin = \(origin.rawValue)", logger: logger
            ).decode(String.self) {
                key = SigningKeyID(rawValue: found)
            }
            return key
        }
    }

    /// Every held revision in change-log order (for tests and checks; a whole history is large).
    public func allRevisions() async throws -> [Revision] {
        try await onConnection { connection in
            let rows = try await connection.query(
                "SELECT \(unescaped: RevisionRow.columns) FROM revision ORDER BY seq", logger: logger)
            var revisions: [Revision] = []
            for try await row in rows { revisions.append(try RevisionRow.decode(row)) }
            return revisions
        }
    }

    static func vector(_ connection: PostgresConnection, logger: Logger) async throws -> VersionVector {
        var vector = VersionVector()
        for try await (origin, counter) in try await connection.query(
            "SELECT origin, counter FROM sync_vector", logger: logger
        ).decode((String, Int64).self) {
            vector[PeerID(rawValue: origin)] = counter
        }
        return vector
    }
}
