import GRDB
import MarginCore

/// Who vouches for a revision, as `log`, `show` and `history` say it.
public struct RevisionSigner: Sendable, Equatable, Codable {
    /// How the revision is vouched for.
    public enum Status: String, Sendable, Codable {
        /// This store made it (under its current or an earlier identity).
        case thisStore = "this-store"
        /// A held signature of its origin's key covers it.
        case verified
        /// Nothing signs it yet: kept from before signatures, or its origin's signature has not arrived.
        case unsigned
    }

    /// How the revision is vouched for.
    public var status: Status
    /// The key that signed it (for this store's revisions, this store's key).
    public var key: SigningKeyID?
    /// The account the key belongs to, as the server names it, when known.
    public var account: String?

    /// Makes a signer.
    public init(status: Status, key: SigningKeyID? = nil, account: String? = nil) {
        self.status = status
        self.key = key
        self.account = account
    }
}

extension MarginStore {
    /// This store's signing key, made now when the store has none (a store made before signatures).
    func signingKey() throws -> SigningKey {
        if let key = signingKeyCache.withLock({ $0 }) { return key }
        let key = try StoreSigningKey.read(inStore: path) ?? StoreSigningKey.create(inStore: path)
        signingKeyCache.withLock { $0 = key }
        return key
    }

    /// The public half of this store's signing key (made now when the store has none).
    public func signingKeyID() throws -> SigningKeyID {
        try signingKey().id
    }

    /// How many revisions of its own a store signs with one signature at most: a page that stops inside a run
    /// carries the run's signature with the ids up to it as its tail, so this bounds tails (and what a receiver
    /// holds on trust until the signed counter arrives).
    public static let signatureInterval: Int64 = 1_000

    /// Signs the chain of every identity this store has written under (its current one and earlier ones) up to the
    /// highest counter held, where no signature is held there yet: called before pushing, so that a few signatures
    /// cover everything written since the last push — one at the head, and one every ``signatureInterval`` revisions
    /// before it. Returns how many signatures were made.
    @discardableResult
    public func signOwnRevisions() throws -> Int {
        let origins = [peer.id] + (try retiredIdentities())
        let pending = try read { db in
            try origins.filter { origin in
                let head = try OriginChains.head(of: origin, db)
                return try head.counter > 0 && !ChainSignatures.hasSignature(of: origin, at: head.counter, db)
            }
        }
        guard !pending.isEmpty else { return 0 }
        let key = try signingKey()
        return try write { db in
            var made = 0
            for origin in pending {
                let head = try OriginChains.head(of: origin, db)
                // From the last signature whose chain is kept (or the origin's start), carry the chain forward.
                var (counter, chain) = try ChainSignatures.lastSignedChain(of: origin, atMost: head.counter, db)
                    ?? (0, RevisionChain.start(of: origin))
                let from = counter
                let ids = try String.fetchCursor(
                    db.cachedStatement(sql: "SELECT id FROM revision WHERE origin = ? AND counter > ? ORDER BY counter"),
                    arguments: [origin.rawValue, from])
                while let id = try ids.next() {
                    counter += 1
                    chain = chain.appending(RevisionID(rawValue: id))
                    guard counter == head.counter || (counter - from) % Self.signatureInterval == 0 else { continue }
                    let proof = try storeErrors { try key.proof(origin: origin, counter: counter, chain: chain) }
                    try ChainSignatures.keep(proof, chain: chain, db)
                    made += 1
                }
                guard counter == head.counter, chain == head.chain else {
                    throw MarginStoreError(.database("the revisions of \(origin) do not make the chain the store recorded"))
                }
                try ChainSignatures.bind(origin, to: key.id, db)
            }
            return made
        }
    }

    /// The accounts this store knows for keys (what its servers said), for the keys given.
    public func accountNames(of keys: [SigningKeyID]) throws -> [SigningKeyID: String] {
        try read { db in
            var names: [SigningKeyID: String] = [:]
            for key in keys { if let name = try ChainSignatures.account(of: key, db).name { names[key] = name } }
            return names
        }
    }

    /// Records the accounts a server names for keys (in a pull's answer), so that `log`, `show` and `history` can
    /// show them.
    public func recordAccountNames(_ names: [SigningKeyID: String]) throws {
        guard !names.isEmpty else { return }
        try write { db in
            for (key, name) in names { try ChainSignatures.recordAccount(name, of: key, db) }
        }
    }

    /// The key bound to `origin` here, if any.
    public func signingKey(of origin: PeerID) throws -> SigningKeyID? {
        try read { db in try ChainSignatures.key(of: origin, db) }
    }

    /// Who vouches for the first revision of each of these records (for an annotation: whoever wrote it first, the
    /// author `show` names).
    public func firstSigners(of records: [RecordID]) throws -> [RecordID: RevisionSigner] {
        var signers = try SignerLookup(store: self)
        return try read { db in
            var result: [RecordID: RevisionSigner] = [:]
            for record in records {
                guard let row = try Row.fetchOne(
                    db.cachedStatement(sql: "SELECT * FROM revision WHERE record_id = ? ORDER BY seq LIMIT 1"),
                    arguments: [record.rawValue])
                else { continue }
                result[record] = try signers.signer(of: try Revision(row: row), db)
            }
            return result
        }
    }

    /// Who vouches for revisions, by (origin, counter), computed once per origin. Reads the database only (never the
    /// key file, which a reader of someone else's store may not open).
    struct SignerLookup {
        private let own: Set<PeerID>
        private var byOrigin: [PeerID: (key: SigningKeyID?, account: String?, signedThrough: Int64)] = [:]

        init(store: MarginStore) throws {
            own = Set([store.peer.id] + (try store.retiredIdentities()))
        }

        mutating func signer(of revision: Revision, _ db: Database) throws -> RevisionSigner {
            if byOrigin[revision.origin] == nil {
                let key = try ChainSignatures.key(of: revision.origin, db)
                let account = try key.flatMap { try ChainSignatures.account(of: $0, db).name }
                let through = try Int64.fetchOne(
                    db, sql: "SELECT MAX(counter) FROM chain_signature WHERE origin = ?", arguments: [revision.origin.rawValue]) ?? 0
                byOrigin[revision.origin] = (key, account, through)
            }
            let known = byOrigin[revision.origin]!
            if own.contains(revision.origin) {
                return RevisionSigner(status: .thisStore, key: known.key, account: known.account)
            }
            guard revision.counter <= known.signedThrough else { return RevisionSigner(status: .unsigned) }
            return RevisionSigner(status: .verified, key: known.key, account: known.account)
        }
    }
}
