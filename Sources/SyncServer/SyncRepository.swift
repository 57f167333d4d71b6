import MarginCore
import MarginStore
import SyncProtocol

/// What the sync server needs from a store. ``MarginStore`` is the real one; tests may use others.
public protocol SyncRepository: Sendable {
    /// The serving peer's id.
    var peerID: PeerID { get }
    /// The store's version vector.
    func syncVector() throws -> VersionVector
    /// The first page of revisions a peer holding `have` lacks, in log order.
    func page(missingFrom have: VersionVector, limit: Int, maxBytes: Int) throws -> RevisionPage
    /// Applies a pushed page in one transaction, checking its signatures: every new revision must be covered, and
    /// a key the repository has not met is accepted only for the pusher's own origin `peer`, and is then bound to
    /// `account` (see ``PageSender/pusher(from:account:)``).
    func receive(_ revisions: [Revision], proofs: [ChainProof], from peer: PeerID, account: String?) throws -> ReceiveOutcome
    /// The account each of these keys is bound to, where it is bound to a named account.
    func accountNames(of keys: [SigningKeyID]) throws -> [SigningKeyID: String]
    /// The key bound to `origin`, if any.
    func signingKey(of origin: PeerID) throws -> SigningKeyID?
    /// The held revision of `origin` with the highest counter, if any.
    func newestRevision(of origin: PeerID) throws -> Revision?
    /// The account whose bearer token is `token`, revoked or not, or nil when no account has it. Called on every
    /// request that presents a token the server was not started with, so it must be cheap (an indexed lookup), and
    /// it reads the accounts as they are now, so that a revocation holds from the next request.
    func account(presenting token: String) throws -> Account?
    /// True when the repository has any account, revoked or not: then every request needs a token.
    func hasAccounts() throws -> Bool
}

/// A store serves itself: the server reads and writes it through its sync API.
extension MarginStore: SyncRepository {
    public var peerID: PeerID { peer.id }

    public func syncVector() throws -> VersionVector {
        VersionVector(try versionVector())
    }

    public func page(missingFrom have: VersionVector, limit: Int, maxBytes: Int) throws -> RevisionPage {
        try revisions(missingFrom: have.counters, limit: limit, maxBytes: maxBytes, size: SyncCoding.estimatedSize(of:))
    }

    public func receive(
        _ revisions: [Revision], proofs: [ChainProof], from peer: PeerID, account: String?
    ) throws -> ReceiveOutcome {
        try receive(revisions, proofs: proofs, from: .pusher(from: peer, account: account), source: "push:\(peer.rawValue)")
    }
}
