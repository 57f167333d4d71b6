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

/// Checks the signatures of one received page, origin by origin, inside the page's transaction: the rules are
/// `SignatureAdmission`'s (the domain core's, shared with the PostgreSQL store), over what this store knows.
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
        var known = SignatureAdmission.KnownKeys()
        if let bound { known.bindings[origin] = bound }
        for key in Set(proofs.filter { $0.origin == origin }.map(\.key) + [bound].compactMap { $0 }) {
            let account = try ChainSignatures.account(of: key, db)
            if account.known { known.met.insert(key) }
            if let name = account.name { known.accounts[key] = name }
        }
        let advance = SignatureAdmission.Advance(origin: origin, through: last, chain: chain, firstNew: firstNew)
        let verdict: SignatureAdmission.Verdict
        do throws(MarginCoreError) {
            verdict = try SignatureAdmission.judge([advance], proofs: proofs, known: known, sender: sender.admissionSender)
        } catch {
            throw MarginStoreError(.core(error))
        }
        for record in verdict.keyAccounts { try ChainSignatures.recordAccount(record.account, of: record.key, db) }
        for binding in verdict.bindings { try ChainSignatures.bind(binding.origin, to: binding.key, db) }
        for kept in verdict.proofs { try ChainSignatures.keep(kept.proof, chain: kept.chain, db) }
    }

}

extension PageSender {
    /// The sender as `SignatureAdmission` names it.
    var admissionSender: SignatureAdmission.Sender {
        switch self {
        case let .pusher(from, account): .pusher(origin: from, account: account)
        case let .server(accounts): .server(accounts: accounts)
        }
    }
}
