import MarginCore
import SyncBackend
import SyncProtocol

/// A sync server over PostgreSQL: any number of `margin serve` processes over one database serve the same data.
///
/// Each server is stateless: every answer is read from the database, and every pushed page is judged and written in
/// one transaction (see ``PostgresRevisionRepository`` on several servers and on log order against commit order).
/// The server's peer id is kept in the database, so that every server over it answers as the same peer.
///
/// With a read replica, pulls are answered from the replica (see ``SyncBackend/pullSource``), and pushes and
/// accounts from the primary.
public struct PostgresSyncBackend: SyncBackend {
    /// The database.
    public let repository: PostgresRevisionRepository
    /// The read replica pulls are answered from, if any.
    public let replica: PostgresRevisionRepository?
    public let peerID: PeerID

    /// A backend over `repository`, whose client runs and whose schema is up to date; reads (or makes, once for all
    /// servers) the database's peer id. With `replica` (a running repository over a read replica of the same
    /// database), pulls are answered from it, once it is checked to be one (see
    /// ``PostgresRevisionRepository/checkReplica(of:wait:)``, which waits at most `replicaWait` for it to catch up).
    public init(
        _ repository: PostgresRevisionRepository, replica: PostgresRevisionRepository? = nil,
        replicaWait: Duration = .seconds(10)
    ) async throws {
        self.repository = repository
        self.peerID = try await repository.serverPeerID()
        self.replica = replica
        if let replica { try await replica.checkReplica(of: peerID, wait: replicaWait) }
    }

    /// A backend that reads `repository` and answers as `peerID`: the pull source over a replica.
    private init(reading repository: PostgresRevisionRepository, as peerID: PeerID) {
        self.repository = repository
        self.replica = nil
        self.peerID = peerID
    }

    /// The replica, when there is one; else this backend.
    public var pullSource: any SyncBackend {
        guard let replica else { return self }
        return PostgresSyncBackend(reading: replica, as: peerID)
    }

    public func vector() async throws -> VersionVector {
        try await refusing { try await repository.vector() }
    }

    public func page(missingFrom have: VersionVector, limit: Int, maxBytes: Int) async throws -> RevisionPage {
        try await refusing { try await repository.page(missingFrom: have, limit: limit, maxBytes: maxBytes) }
    }

    public func newestRevision(of origin: PeerID) async throws -> Revision? {
        try await refusing { try await repository.newestRevision(of: origin) }
    }

    public func receive(
        _ revisions: [Revision], proofs: [ChainProof], from pusher: PeerID, account: String?
    ) async throws -> ReceiveOutcome {
        try await refusing { try await repository.receive(revisions, proofs: proofs, from: pusher, account: account) }
    }

    public func accountNames(of keys: [SigningKeyID]) async throws -> [SigningKeyID: String] {
        try await refusing { try await repository.accountNames(of: keys) }
    }

    public func signingKey(of origin: PeerID) async throws -> SigningKeyID? {
        try await refusing { try await repository.signingKey(of: origin) }
    }

    /// Runs `work`, turning what the client must hear (a refused page, contention, a database that cannot be reached
    /// now) into a ``SyncRefusal``; any other failure stays the server's own.
    private func refusing<Value>(_ work: () async throws -> Value) async throws -> Value {
        do {
            return try await work()
        } catch let error as PostgresRevisionStoreError {
            // The client hears that the database cannot be reached, not where it is or why: that is for this log.
            if case .unreachable = error.kind { repository.logger.warning("\(error.description)") }
            throw SyncRefusal(serving: error) ?? error
        }
    }

    public func account(presenting token: String) async throws -> AccountAccess? {
        try await refusing {
            try await repository.account(presenting: token).map {
                AccountAccess(name: $0.name, isReadOnly: $0.isReadOnly, isRevoked: $0.isRevoked)
            }
        }
    }

    public func hasAccounts() async throws -> Bool {
        try await refusing { try await repository.hasAccounts() }
    }
}

extension SyncRefusal {
    /// Seconds a client is asked to wait when the database cannot be reached.
    static let unreachableRetrySeconds = 5
    /// What a client hears when the database cannot be reached: without the database's address or the system's
    /// reason, which are the server's own business (its log has them).
    static let unreachableMessage = "The server's PostgreSQL cannot be reached now; nothing was changed. Try again shortly."

    /// What a client must hear when the database refused its page, kept colliding with other writers, or cannot be
    /// reached now (503 with `Retry-After`); nil when the database failed on its own.
    init?(serving error: PostgresRevisionStoreError) {
        switch error.kind {
        case let .core(coreError):
            self.init(core: coreError)
        case .contention:
            self = .contention(error.description)
        case .unreachable:
            self.init(.unavailable, Self.unreachableMessage, retryAfterSeconds: Self.unreachableRetrySeconds)
        default:
            return nil
        }
    }
}
