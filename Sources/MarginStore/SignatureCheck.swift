import GRDB
import MarginCore

/// Who sent a page, which decides what its signatures must show.
public enum PageSender: Sendable, Equatable {
    /// A peer pushing to this store as a server. Every new revision must be covered by a signature. A key this
    /// server has not met is accepted only when it signs the pusher's own origin `from`, and is then bound to the
    /// pushing `account` (nil on a server without accounts); a relayed revision must be signed by a key already met.
    case pusher(from: PeerID, account: String?)
    /// The server this store pulls from. Signatures are checked all the same; an origin with no known key may
    /// arrive unsigned (revisions kept from before signatures). `accounts` are the server's names for keys.
    case server(accounts: [SigningKeyID: String])

    /// The pushing peer's own origin, if a peer pushes.
    var pushingOrigin: PeerID? {
        if case let .pusher(from, _) = self { return from }
        return nil
    }
}

/// Checks the signatures of one received page, origin by origin, inside the page's transaction.
///
/// For each origin the page advances, from held counter *h* to *m*: the proof of that origin with the smallest
/// signed counter ≥ *m* must have a tail of exactly the ids between, and its signature must hold over the chain the
/// receiver computes (its own chain at *h*, the page's revisions, the tail). Then the key must be the origin's (the
/// first key that signed an origin binds it), and a pusher may only introduce its own key. The proof is kept, so
/// that this store can send the revisions on with it.
struct SignatureCheck {
    let sender: PageSender
    let db: Database

    init(sender: PageSender, _ db: Database) {
        self.sender = sender
        self.db = db
    }

    func verify(
        origin: PeerID, through last: Int64, chain: RevisionChain, firstNew: RevisionID, proofs: [ChainProof]
    ) throws {
        let bound = try ChainSignatures.key(of: origin, db)
        guard let proof = proofs.filter({ $0.origin == origin && $0.counter >= last }).min(by: { $0.counter < $1.counter })
        else {
            if let covering = proofs.first(where: { $0.origin == origin }) {
                throw MarginStoreError(.core(MarginCoreError(.badSignature(
                    origin: origin, counter: covering.counter,
                    reason: "it covers the origin's revisions only through \(covering.counter), and the page holds them through \(last)"))))
            }
            if case .server = sender, bound == nil { return }
            throw MarginStoreError(.unsignedRevision(revision: firstNew, origin: origin))
        }
        guard Int64(proof.tail.count) == proof.counter - last else {
            throw MarginStoreError(.core(MarginCoreError(.badSignature(
                origin: origin, counter: proof.counter,
                reason: "its tail lists \(proof.tail.count) ids, but \(proof.counter - last) revisions lie between the page's last one and the signed counter"))))
        }
        let signed = chain.appending(contentsOf: proof.tail)
        try storeErrors { try proof.verify(chain: signed) }
        if let bound, bound != proof.key {
            throw MarginStoreError(.forgedOrigin(
                revision: firstNew, origin: origin, key: proof.key, owner: try ChainSignatures.account(of: bound, db).name))
        }
        switch sender {
        case let .pusher(from, account):
            if try !ChainSignatures.account(of: proof.key, db).known {
                guard origin == from else {
                    throw MarginStoreError(.unknownKey(revision: firstNew, origin: origin, key: proof.key))
                }
                try ChainSignatures.recordAccount(account, of: proof.key, db)
            }
        case let .server(accounts):
            try ChainSignatures.recordAccount(accounts[proof.key], of: proof.key, db)
        }
        if bound == nil { try ChainSignatures.bind(origin, to: proof.key, db) }
        try ChainSignatures.keep(proof, chain: signed, db)
    }
}
