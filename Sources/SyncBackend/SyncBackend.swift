import MarginCore
import SyncProtocol

/// Where a sync server keeps what the protocol needs: revisions, the version vector, signatures and accounts.
///
/// The server's HTTP layer (`SyncServer`) speaks only to this protocol, so it runs unchanged over the embedded
/// SQLite store (`StoreSyncBackend`) or over PostgreSQL (`PostgresRevisionStore`), where several servers share one
/// database. Every method may be called concurrently from many requests.
///
/// A backend judges a pushed page by the domain rules (`RevisionValidator`, the chain signatures of
/// `ChainProof`) and applies it whole or not at all. What a client caused it reports as a ``SyncRefusal``, which the
/// server answers with the protocol's error code; any other error is the server's own failure.
public protocol SyncBackend: Sendable {
    /// The server's peer id: the same for every server over the same data, and stable across restarts.
    var peerID: PeerID { get }

    /// The version vector: for every origin, the highest counter held.
    func vector() async throws -> VersionVector

    /// The first page of revisions a peer holding `have` lacks, in log order (parents before children), at most
    /// `limit` revisions and, beyond its first revision, at most `maxBytes` as ``SyncCoding/estimatedSize(of:)``
    /// measures them, with one proof per origin that covers the page's revisions of it.
    func page(missingFrom have: VersionVector, limit: Int, maxBytes: Int) async throws -> RevisionPage

    /// The held revision of `origin` with the highest counter, if any.
    func newestRevision(of origin: PeerID) async throws -> Revision?

    /// Judges and applies a pushed page in one transaction. Every new revision must be covered by a proof; a key
    /// the backend has not met is accepted only for the pusher's own origin `pusher`, and is then bound to `account`
    /// (nil when the push came with a token the server was started with).
    /// - Throws: ``SyncRefusal`` when the page breaks a rule; nothing is stored then.
    func receive(_ revisions: [Revision], proofs: [ChainProof], from pusher: PeerID, account: String?) async throws
        -> ReceiveOutcome

    /// The account each of these keys is bound to, where it is bound to a named account.
    func accountNames(of keys: [SigningKeyID]) async throws -> [SigningKeyID: String]

    /// The key bound to `origin`, if any.
    func signingKey(of origin: PeerID) async throws -> SigningKeyID?

    /// The account whose bearer token is `token`, revoked or not, or nil when no account has it. Called on every
    /// request that presents a token the server was not started with, so it must be cheap (an indexed lookup), and
    /// it reads the accounts as they are now, so that a revocation holds from the next request.
    func account(presenting token: String) async throws -> AccountAccess?

    /// True when the backend has any account, revoked or not: then every request needs a token.
    func hasAccounts() async throws -> Bool

    /// Answers a pull: runs `reads`, everything one sync request reads (its vector, page, origin head, keys and
    /// accounts' names), against where pulls are answered from, and returns what it returns. That is the backend
    /// itself, or a read replica of its data that may lag behind it but never holds what it does not: a pull from it
    /// may miss the newest revisions, which the next pull brings, and never skips one, because a pull asks per origin
    /// for the counters above the client's vector. A backend whose replica cannot be reached runs `reads` again on
    /// itself. Pushes, the vector answering them, and the accounts that admit requests are always read from the
    /// backend itself. `origin` is the asking store's own origin, when it names it: a replica that holds less of it
    /// than the backend leaves the pull to the backend, since the store checks its own identity against the answer
    /// (a copy of it that pushed a moment ago must be seen).
    func answeringPull<Answer: Sendable>(
        asking origin: PeerID?, _ reads: @Sendable (_ source: any SyncBackend) async throws -> Answer
    ) async throws -> Answer
}

extension SyncBackend {
    /// Runs `reads` on the backend itself.
    public func answeringPull<Answer: Sendable>(
        asking origin: PeerID?, _ reads: @Sendable (_ source: any SyncBackend) async throws -> Answer
    ) async throws -> Answer {
        try await reads(self)
    }

    /// Answers a pull for no particular store (see ``answeringPull(asking:_:)``).
    public func answeringPull<Answer: Sendable>(
        _ reads: @Sendable (_ source: any SyncBackend) async throws -> Answer
    ) async throws -> Answer {
        try await answeringPull(asking: nil, reads)
    }
}
