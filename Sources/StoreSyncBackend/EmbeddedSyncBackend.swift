import Dispatch
import MarginCore
import MarginStore
import SyncBackend
import SyncProtocol

/// A sync server over the embedded SQLite store: the store serves itself, and stays a working store its owner may
/// read and annotate with `margin` meanwhile.
///
/// Reads (pulls, account lookups) run concurrently, each on a connection of the store's reader pool, so a slow pull
/// never waits for another; pushed pages are applied one at a time on the store's work queue
/// (``MarginStore/offload(_:)``), since SQLite writes one transaction at a time anyway.
public struct EmbeddedSyncBackend: SyncBackend {
    /// The store served.
    public let store: MarginStore

    /// A backend over `store`.
    public init(_ store: MarginStore) {
        self.store = store
    }

    public var peerID: PeerID { store.peer.id }

    public func vector() async throws -> VersionVector {
        try await reading { store in VersionVector(try store.versionVector()) }
    }

    public func page(missingFrom have: VersionVector, limit: Int, maxBytes: Int) async throws -> RevisionPage {
        try await reading { store in
            try store.revisions(missingFrom: have.counters, limit: limit, maxBytes: maxBytes, size: SyncCoding.estimatedSize(of:))
        }
    }

    public func newestRevision(of origin: PeerID) async throws -> Revision? {
        try await reading { store in try store.newestRevision(of: origin) }
    }

    public func receive(
        _ revisions: [Revision], proofs: [ChainProof], from pusher: PeerID, account: String?
    ) async throws -> ReceiveOutcome {
        let store = self.store
        do {
            return try await MarginStore.offload {
                try store.receive(
                    revisions, proofs: proofs, from: .pusher(from: pusher, account: account),
                    source: "push:\(pusher.rawValue)")
            }
        } catch let error as MarginStoreError {
            throw SyncRefusal(pushing: error) ?? error
        }
    }

    public func accountNames(of keys: [SigningKeyID]) async throws -> [SigningKeyID: String] {
        try await reading { store in try store.accountNames(of: keys) }
    }

    public func signingKey(of origin: PeerID) async throws -> SigningKeyID? {
        try await reading { store in try store.signingKey(of: origin) }
    }

    public func account(presenting token: String) async throws -> AccountAccess? {
        // One indexed read: cheap enough to run on the request's own thread rather than wait for a reader thread.
        try store.account(presenting: token).map {
            AccountAccess(name: $0.name, isReadOnly: $0.isReadOnly, isRevoked: $0.isRevoked)
        }
    }

    public func hasAccounts() async throws -> Bool {
        try store.hasAccounts()
    }

    /// Runs a read on a thread of its own, concurrently with other reads and with a page being written.
    private func reading<Value: Sendable>(_ work: @escaping @Sendable (MarginStore) throws -> Value) async throws -> Value {
        let store = self.store
        return try await withCheckedThrowingContinuation { continuation in
            Self.readers.async { continuation.resume(with: Result { try work(store) }) }
        }
    }

    /// Threads for reads; the store's reader pool bounds how many read at once.
    private static let readers = DispatchQueue(
        label: "marginalia.store-reads", qos: .userInitiated, attributes: .concurrent)
}
