import MarginCore
import PostgresRevisionStore

/// Signs pages as their origins' stores do, from the revisions the pusher holds: for each origin in a page, the
/// chain over its revisions 1…(the page's last counter of it), signed there.
enum TestSigning {
    /// The key the tests' peers share unless a test gives its own: once one peer has pushed its own revisions with
    /// it, the database has met it, and any peer may relay what it signs.
    static let sharedKey = SigningKey.generate()

    /// `origin`'s chain at `counter`, from `revisions` (the first revision found at each counter), or nil when one
    /// of the counters 1…`counter` is missing.
    static func chain(of origin: PeerID, through counter: Int64, in revisions: [Revision]) -> RevisionChain? {
        var ids: [Int64: RevisionID] = [:]
        for revision in revisions where revision.origin == origin && ids[revision.counter] == nil {
            ids[revision.counter] = revision.id
        }
        var chain = RevisionChain.start(of: origin)
        for step in stride(from: Int64(1), through: counter, by: 1) {
            guard let id = ids[step] else { return nil }
            chain = chain.appending(id)
        }
        return chain
    }

    /// One proof per origin of `page`, in order of first appearance, through the page's last revision of it; an
    /// origin whose earlier revisions are not in `history` or `page` goes unsigned.
    static func proofs(for page: [Revision], history: [Revision] = [], key: SigningKey = sharedKey) throws -> [ChainProof] {
        var last: [PeerID: Int64] = [:]
        var order: [PeerID] = []
        for revision in page {
            if last[revision.origin] == nil { order.append(revision.origin) }
            last[revision.origin] = max(last[revision.origin] ?? 0, revision.counter)
        }
        let known = history + page
        return try order.compactMap { origin in
            guard let counter = last[origin], let chain = chain(of: origin, through: counter, in: known) else { return nil }
            return try key.proof(origin: origin, counter: counter, chain: chain)
        }
    }

    /// A proof of `origin` at `counter` (beyond the page's last revision of it, `through`), whose tail lists the
    /// ids after `through`.
    static func proof(
        of origin: PeerID, at counter: Int64, tailAfter through: Int64, in history: [Revision],
        key: SigningKey = sharedKey
    ) throws -> ChainProof {
        var proof = try key.proof(origin: origin, counter: counter, chain: chain(of: origin, through: counter, in: history)!)
        proof.tail = history.filter { $0.origin == origin && $0.counter > through && $0.counter <= counter }
            .sorted { $0.counter < $1.counter }.map(\.id)
        return proof
    }
}

extension PostgresRevisionRepository {
    /// Pushes `page` as a peer would: signed with `key` over `history` (the revisions the pusher holds before the
    /// page), from `pusher` (by default the page's first origin) as `account`.
    @discardableResult
    func push(
        _ page: [Revision], history: [Revision] = [], key: SigningKey = TestSigning.sharedKey, from pusher: PeerID? = nil,
        account: String? = "tester"
    ) async throws -> ReceiveOutcome {
        try await receive(
            page, proofs: TestSigning.proofs(for: page, history: history, key: key),
            from: pusher ?? page.first?.origin ?? TestPeer(0).id, account: account)
    }
}
