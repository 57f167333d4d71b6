import Logging
import MarginCore
import NIOCore
import PostgresNIO

/// The signatures a database holds (`chain_signature`), which key each origin is bound to (`origin_key`) and the
/// accounts of keys (`key_account`): what a received page's `SignatureAdmission.Verdict` adds, and the proofs a page
/// sent on carries.
///
/// A kept signature always passed `ChainProof.verify(chain:)`, so a revision of origin O at counter c is vouched for
/// when a signature of O at a counter ≥ c is held. A signature may reach past the revisions held: its `tail` then
/// keeps the ids between, so that it can still be sent on.
enum SignatureRows {
    /// Writes the keys a page's signatures bind and meet, in the page's transaction (its proofs are written with
    /// its revisions, by ``PageRows``). Bindings are plain inserts: a binding another server inserted since this
    /// transaction's snapshot is a unique violation, and the page is judged again (where the other's binding then
    /// counts).
    static func write(_ verdict: SignatureAdmission.Verdict, _ connection: PostgresConnection, logger: Logger) async throws {
        if !verdict.keyAccounts.isEmpty {
            let keys = verdict.keyAccounts.map(\.key.rawValue)
            let accounts = verdict.keyAccounts.map { $0.account ?? "" }
            let named = verdict.keyAccounts.map { $0.account != nil }
            try await connection.query("""
                INSERT INTO key_account (key, account)
                SELECT key, CASE WHEN named THEN account END
                FROM unnest(\(keys)::text[], \(accounts)::text[], \(named)::bool[]) AS met(key, account, named)
                ON CONFLICT (key) DO UPDATE SET account = COALESCE(excluded.account, key_account.account)
                """, logger: logger)
        }
        if !verdict.bindings.isEmpty {
            let origins = verdict.bindings.map(\.origin.rawValue)
            let keys = verdict.bindings.map(\.key.rawValue)
            try await connection.query(
                "INSERT INTO origin_key (origin, key) SELECT * FROM unnest(\(origins)::text[], \(keys)::text[])",
                logger: logger)
        }
    }

    /// The proofs for a page: for each origin, in order of first appearance, the held signature at the smallest
    /// counter ≥ the page's last revision of it, with the ids after that revision through the signed counter as its
    /// tail (from the revisions held, then from the kept tail where the signature reaches past them). None for an
    /// origin with no such signature. One query, in the caller's snapshot.
    static func proofs(for page: [Revision], _ connection: PostgresConnection, logger: Logger) async throws
        -> [ChainProof]
    {
        var last: [PeerID: Int64] = [:]
        var order: [PeerID] = []
        for revision in page {
            if last[revision.origin] == nil { order.append(revision.origin) }
            last[revision.origin] = max(last[revision.origin] ?? 0, revision.counter)
        }
        guard !order.isEmpty else { return [] }
        let origins = order.map(\.rawValue)
        let lasts = order.map { last[$0] ?? 0 }
        var found: [PeerID: ChainProof] = [:]
        for try await (origin, through, counter, key, signature, keptTail, held) in try await connection.query("""
            SELECT wanted.origin, wanted.last, signed.counter, signed.key, signed.signature, signed.tail,
                ARRAY(
                    SELECT id FROM revision
                    WHERE revision.origin = wanted.origin AND revision.counter > wanted.last
                        AND revision.counter <= signed.counter
                    ORDER BY counter)
            FROM unnest(\(origins)::text[], \(lasts)::int8[]) AS wanted(origin, last)
            CROSS JOIN LATERAL (
                SELECT counter, key, signature, tail FROM chain_signature
                WHERE chain_signature.origin = wanted.origin AND chain_signature.counter >= wanted.last
                ORDER BY counter LIMIT 1) AS signed
            """, logger: logger
        ).decode((String, Int64, Int64, String, String, [String]?, [String]).self) {
            var tail = held
            let missing = Int(counter - through) - held.count
            if missing > 0 {
                let kept = keptTail ?? []
                guard kept.count >= missing else { continue }
                tail += kept.suffix(missing)
            }
            found[PeerID(rawValue: origin)] = ChainProof(
                origin: PeerID(rawValue: origin), counter: counter, key: SigningKeyID(rawValue: key),
                signature: signature, tail: tail.map(RevisionID.init(rawValue:)))
        }
        return order.compactMap { found[$0] }
    }
}
