import MarginCore
import SyncBackend
import SyncProtocol
import Synchronization

/// A sync server over PostgreSQL: any number of `margin serve` processes over one database serve the same data.
///
/// Each server is stateless: every answer is read from the database, and every pushed page is judged and written in
/// one transaction (see ``PostgresRevisionRepository`` on several servers and on log order against commit order).
/// The server's peer id is kept in the database, so that every server over it answers as the same peer.
///
/// With a read replica, pulls are answered from the replica (see ``SyncBackend/answeringPull(_:)``), and pushes and
/// accounts from the primary. A replica that cannot be reached is passed over: that pull, and every pull for
/// ``replicaRetry`` after it, is answered from the primary, so that a server keeps taking syncs (which pull first)
/// while its replica is away. With ``replicaMaxLag``, a replica that lags further behind the primary than that also
/// leaves pulls to the primary, until it catches up (see ``ReplicaLagBound``).
public struct PostgresSyncBackend: SyncBackend {
    /// The database.
    public let repository: PostgresRevisionRepository
    /// The read replica pulls are answered from, if any.
    public let replica: PostgresRevisionRepository?
    public let peerID: PeerID
    /// How long pulls go to the primary after the replica could not be reached, before it is tried again.
    public let replicaRetry: Duration
    /// The most a pull answered from the replica may lag behind the primary; nil for no bound.
    public var replicaMaxLag: Duration? { replicaLag?.maximum }
    private let replicaPassedOver: PassedOver
    private let replicaLag: ReplicaLagBound?

    /// The usual ``replicaRetry``.
    public static let defaultReplicaRetry: Duration = .seconds(30)

    /// A backend over `repository`, whose client runs and whose schema is up to date; reads (or makes, once for all
    /// servers) the database's peer id. With `replica` (a running repository over a read replica of the same
    /// database), pulls are answered from it, once it is checked to be one (see
    /// ``PostgresRevisionRepository/checkReplica(of:wait:)``, which waits at most `replicaWait` for it to catch up).
    /// With `replicaMaxLag` (more than zero), only while it lags by at most that; it must then be a streaming
    /// standby, whose replay the primary's log positions measure.
    ///
    /// - Throws: ``PostgresRevisionStoreError`` `.notAReplica` for a replica that is not one of this database, or,
    ///   with `replicaMaxLag`, that replays no log (a restored copy, a logical replica).
    public init(
        _ repository: PostgresRevisionRepository, replica: PostgresRevisionRepository? = nil,
        replicaWait: Duration = .seconds(10), replicaRetry: Duration = Self.defaultReplicaRetry,
        replicaMaxLag: Duration? = nil
    ) async throws {
        self.repository = repository
        self.peerID = try await repository.serverPeerID()
        self.replica = replica
        self.replicaRetry = replicaRetry
        self.replicaPassedOver = PassedOver()
        self.replicaLag = replicaMaxLag.map(ReplicaLagBound.init(maximum:))
        guard let replica else { return }
        try await replica.checkReplica(of: peerID, wait: replicaWait)
        if let replicaMaxLag, try await replica.replayedPosition() == nil {
            throw PostgresRevisionStoreError(.notAReplica(
                "it replays no write-ahead log (a restored copy, or a logical replica), so how far it lags behind the primary cannot be measured, and pulls could not be held to --replica-max-lag \(replicaMaxLag)"))
        }
    }

    /// A backend that reads `repository` and answers as `peerID`: where pulls are read over a replica.
    private init(reading repository: PostgresRevisionRepository, as peerID: PeerID) {
        self.repository = repository
        self.replica = nil
        self.peerID = peerID
        self.replicaRetry = .zero
        self.replicaPassedOver = PassedOver()
        self.replicaLag = nil
    }

    /// Runs `reads` on the replica, when there is one, it is not being passed over, and it lags by no more than
    /// ``replicaMaxLag``; on the primary otherwise, and again on the primary when the replica cannot be reached (a
    /// 503 `unavailable` from it).
    public func answeringPull<Answer: Sendable>(
        asking origin: PeerID?, _ reads: @Sendable (_ source: any SyncBackend) async throws -> Answer
    ) async throws -> Answer {
        guard let replica, !replicaPassedOver.now else { return try await reads(self) }
        if let replicaLag {
            let now = ContinuousClock.now
            if replicaLag.needsSample(at: now) {
                // Read after `now`: past every transaction committed before it.
                replicaLag.record(try await refusing { try await repository.logPosition() }, at: now)
            }
        }
        let withinLag: Bool
        do {
            withinLag = try await isWithinLag(replica)
        } catch let refusal as SyncRefusal where refusal.code == .unavailable {
            passOverReplica()
            return try await reads(self)
        }
        guard withinLag else { return try await reads(self) }
        // What the primary holds of the asking store's origin (when it can say: a primary that cannot be reached
        // now leaves the pull to the replica, as before).
        let onPrimary = if let origin { try? await repository.counter(of: origin) } else { Int64?.none }
        do {
            if let origin, let onPrimary, onPrimary > 0,
               try await refusing({ try await replica.counter(of: origin) }) < onPrimary {
                // A copy of the asking store may just have pushed: its identity check must see that.
                return try await reads(self)
            }
            return try await reads(PostgresSyncBackend(reading: replica, as: peerID))
        } catch let refusal as SyncRefusal where refusal.code == .unavailable {
            passOverReplica()
            return try await reads(self)
        }
    }

    /// Leaves pulls to the primary for ``replicaRetry``: the replica cannot be reached.
    private func passOverReplica() {
        replicaPassedOver.start(for: replicaRetry)
        repository.logger.warning(
            "The read replica cannot be reached: pulls are answered from the primary, and the replica is tried again in \(replicaRetry).")
    }

    /// Whether `replica` has replayed what it must for its answers to lag by at most ``replicaMaxLag`` (always,
    /// without a bound); the log says when that changes.
    private func isWithinLag(_ replica: PostgresRevisionRepository) async throws -> Bool {
        guard let replicaLag, let required = replicaLag.requiredPosition(at: .now) else { return true }
        let replayed = try await refusing { try await replica.replayedPosition() }
        let isBehind = (replayed ?? .min) < required
        if replicaLag.noteBehind(isBehind) {
            if isBehind {
                repository.logger.warning(
                    "The read replica has not replayed all the primary had committed \(replicaLag.maximum) ago (after a quiet spell, all it had committed when the pull came): pulls are answered from the primary until it has.")
            } else {
                repository.logger.info("The read replica caught up: pulls are answered from it again.")
            }
        }
        return !isBehind
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

/// Until when a replica that could not be reached is passed over.
private final class PassedOver: Sendable {
    private let until = Mutex<ContinuousClock.Instant?>(nil)

    /// Passes the replica over for `duration` from now.
    func start(for duration: Duration) {
        until.withLock { $0 = ContinuousClock.now.advanced(by: duration) }
    }

    /// True while the replica is passed over.
    var now: Bool {
        until.withLock { until in
            guard let end = until else { return false }
            return ContinuousClock.now < end
        }
    }
}
