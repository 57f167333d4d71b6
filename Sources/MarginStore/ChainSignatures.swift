import Foundation
import GRDB
import MarginCore

/// The signatures a store holds (`chain_signature`), which origin each key speaks for (`origin_key`), and which
/// account each key belongs to (`key_account`).
///
/// A stored signature always passed ``ChainProof/verify(chain:)`` (or was made by this store), so a revision of
/// origin O at counter c is verified when a signature of O at a counter ≥ c is held. A signature may reach past the
/// revisions held: its `tail` then keeps the ids of the revisions between, so that it can still be sent on.
enum ChainSignatures {
    /// Keeps a verified proof with the chain it signs (replacing one at the same counter: the newer has a shorter
    /// tail or none). The chain lets this store continue from the signed counter without reading the revisions before.
    static func keep(_ proof: ChainProof, chain: RevisionChain, _ db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO chain_signature (origin, counter, key, signature, tail, chain) VALUES (?, ?, ?, ?, ?, ?)
            """
        ).execute(arguments: [
            proof.origin.rawValue, proof.counter, proof.key.rawValue, proof.signature,
            proof.tail.isEmpty ? nil : proof.tail.map(\.rawValue).joined(separator: ","), Data(chain.bytes),
        ])
    }

    /// The highest signed counter of `origin` at or below `counter` whose chain is kept, with that chain.
    static func lastSignedChain(of origin: PeerID, atMost counter: Int64, _ db: Database) throws -> (counter: Int64, chain: RevisionChain)? {
        guard let row = try Row.fetchOne(
            db.cachedStatement(sql: """
                SELECT counter, chain FROM chain_signature
                WHERE origin = ? AND counter <= ? AND chain IS NOT NULL ORDER BY counter DESC LIMIT 1
                """),
            arguments: [origin.rawValue, counter]),
            let bytes = row["chain"] as Data?, let chain = RevisionChain(stored: Array(bytes))
        else { return nil }
        return (row["counter"], chain)
    }

    /// True when a signature of `origin` at exactly `counter` is held.
    static func hasSignature(of origin: PeerID, at counter: Int64, _ db: Database) throws -> Bool {
        try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT 1 FROM chain_signature WHERE origin = ? AND counter = ?"),
            arguments: [origin.rawValue, counter]) ?? false
    }

    /// The proof to send with a page whose last revision of `origin` has counter `last`: the held signature at
    /// the smallest counter ≥ `last`, with the ids after `last` as its tail. Nil when none is held (revisions kept
    /// from before signatures).
    static func proof(of origin: PeerID, through last: Int64, _ db: Database) throws -> ChainProof? {
        guard let row = try Row.fetchOne(
            db.cachedStatement(sql: """
                SELECT counter, key, signature, tail FROM chain_signature
                WHERE origin = ? AND counter >= ? ORDER BY counter LIMIT 1
                """),
            arguments: [origin.rawValue, last])
        else { return nil }
        let signed: Int64 = row["counter"]
        var tail: [RevisionID] = []
        if signed > last {
            tail = try String.fetchAll(
                db.cachedStatement(sql: "SELECT id FROM revision WHERE origin = ? AND counter > ? AND counter <= ? ORDER BY counter"),
                arguments: [origin.rawValue, last, signed]
            ).map(RevisionID.init(rawValue:))
            let missing = Int(signed - last) - tail.count
            if missing > 0 {
                // The signature reaches past the revisions held: the stored tail ends at the signed counter.
                let stored = (row["tail"] as String?)?.split(separator: ",").map { RevisionID(rawValue: String($0)) } ?? []
                guard stored.count >= missing else { return nil }
                tail += stored.suffix(missing)
            }
        }
        return ChainProof(
            origin: origin, counter: signed, key: SigningKeyID(rawValue: row["key"]), signature: row["signature"],
            tail: tail)
    }

    /// The proofs for a page: one per origin, through the page's last revision of it.
    static func proofs(for page: [Revision], _ db: Database) throws -> [ChainProof] {
        var last: [PeerID: Int64] = [:]
        var order: [PeerID] = []
        for revision in page {
            if last[revision.origin] == nil { order.append(revision.origin) }
            last[revision.origin] = max(last[revision.origin] ?? 0, revision.counter)
        }
        return try order.compactMap { origin in try proof(of: origin, through: last[origin] ?? 0, db) }
    }

    // MARK: - Keys

    /// The key `origin` is bound to: the first key that signed it here.
    static func key(of origin: PeerID, _ db: Database) throws -> SigningKeyID? {
        try String.fetchOne(
            db.cachedStatement(sql: "SELECT key FROM origin_key WHERE origin = ?"), arguments: [origin.rawValue]
        ).map(SigningKeyID.init(rawValue:))
    }

    /// Binds `origin` to `key` (once; a bound origin keeps its key).
    static func bind(_ origin: PeerID, to key: SigningKeyID, _ db: Database) throws {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO origin_key (origin, key) VALUES (?, ?)")
            .execute(arguments: [origin.rawValue, key.rawValue])
    }

    /// Whether `key` is known, and the account it belongs to (nil: a key known without an account name).
    static func account(of key: SigningKeyID, _ db: Database) throws -> (known: Bool, name: String?) {
        guard let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT account FROM key_account WHERE key = ?"), arguments: [key.rawValue])
        else { return (false, nil) }
        return (true, row["account"])
    }

    /// Records that `key` belongs to `account` (a server: the pusher that showed it; a client: what its server says).
    static func recordAccount(_ account: String?, of key: SigningKeyID, _ db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO key_account (key, account) VALUES (?, ?)
            ON CONFLICT(key) DO UPDATE SET account = COALESCE(excluded.account, account)
            """
        ).execute(arguments: [key.rawValue, account])
    }
}
