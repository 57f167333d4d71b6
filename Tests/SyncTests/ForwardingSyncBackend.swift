import MarginCore
import StoreSyncBackend
import SyncBackend
import SyncProtocol

/// A test's server backend over a real store: every call goes through to ``backend`` unless the conforming type
/// answers it itself, so that a test's backend spells out only what it changes.
protocol ForwardingSyncBackend: SyncBackend {
    /// The real backend the calls go through to.
    var backend: EmbeddedSyncBackend { get }
}

extension ForwardingSyncBackend {
    var peerID: PeerID { backend.peerID }
    func vector() async throws -> VersionVector { try await backend.vector() }
    func page(missingFrom have: VersionVector, limit: Int, maxBytes: Int) async throws -> RevisionPage {
        try await backend.page(missingFrom: have, limit: limit, maxBytes: maxBytes)
    }
    func newestRevision(of origin: PeerID) async throws -> Revision? { try await backend.newestRevision(of: origin) }
    func receive(_ revisions: [Revision], proofs: [ChainProof], from peer: PeerID, account: String?) async throws
        -> ReceiveOutcome
    {
        try await backend.receive(revisions, proofs: proofs, from: peer, account: account)
    }
    func accountNames(of keys: [SigningKeyID]) async throws -> [SigningKeyID: String] {
        try await backend.accountNames(of: keys)
    }
    func signingKey(of origin: PeerID) async throws -> SigningKeyID? { try await backend.signingKey(of: origin) }
    func account(presenting token: String) async throws -> AccountAccess? { try await backend.account(presenting: token) }
    func hasAccounts() async throws -> Bool { try await backend.hasAccounts() }
}
