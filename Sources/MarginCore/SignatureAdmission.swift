/// Judges the signatures of a received page, origin by origin: the rules of `Protocol/PROTOCOL.md` §16–17, apart
/// from any database. The receiver reads what it knows (its chains, which key each origin is bound to, which keys it
/// has met and their accounts), calls ``judge(_:proofs:known:sender:)``, and writes what the answer says to keep.
///
/// For each origin the page advances, from held counter *h* to *m*:
/// - the proof of that origin with the smallest signed counter ≥ *m* must list exactly the ids between *m* and its
///   counter as its tail, and its signature must hold over the receiver's chain at *h* carried over the page's new
///   ids and the tail (otherwise `badSignature`; no such proof at all: `unsignedRevision`);
/// - the first key that signs an origin owns it: another key is a `forgedOrigin`, naming the owner's account;
/// - from a pusher, a key the receiver has not met is accepted only when it signs the pusher's own origin, and is then
///   recorded as the pushing account's; a relayed origin signed by a key not met is an `unknownKey`.
///
/// The pusher's own origin is judged first (it may introduce the key its other origins share), then the others by
/// origin, so that a page with several faults is always refused for the same one.
///
/// ```swift
/// let advances = SignatureAdmission.advances(of: newRevisions, heldChains: chains)
/// let verdict = try SignatureAdmission.judge(advances, proofs: page.proofs, known: known,
///                                            sender: .pusher(origin: pusher, account: "alice"))
/// // keep verdict.proofs, verdict.bindings, verdict.keyAccounts
/// ```
public enum SignatureAdmission {
    /// Who sent the page, which decides what its signatures must show.
    public enum Sender: Sendable, Equatable {
        /// A peer pushing to a server, from its own origin `origin`, as `account` (nil on a server without
        /// accounts). Every new revision must be covered by a proof.
        case pusher(origin: PeerID, account: String?)
        /// The server a store pulls from, which names the accounts of keys. An origin with no bound key may arrive
        /// unsigned (revisions kept from before signatures).
        case server(accounts: [SigningKeyID: String])
    }

    /// What a page does to one origin.
    public struct Advance: Sendable, Equatable {
        /// The origin.
        public var origin: PeerID
        /// The page's highest counter of the origin: what the receiver holds after the page.
        public var through: Int64
        /// The origin's chain at ``through``: the receiver's chain at the counter it held, carried over the page's
        /// new ids.
        public var chain: RevisionChain
        /// The page's first new revision of the origin (a refusal names it).
        public var firstNew: RevisionID

        /// Makes an advance.
        public init(origin: PeerID, through: Int64, chain: RevisionChain, firstNew: RevisionID) {
            self.origin = origin
            self.through = through
            self.chain = chain
            self.firstNew = firstNew
        }
    }

    /// What the receiver knows of keys, as far as the page needs it.
    public struct KnownKeys: Sendable, Equatable {
        /// The key each origin is bound to (at least the page's origins that are bound).
        public var bindings: [PeerID: SigningKeyID]
        /// The keys the receiver has met (at least those of the page's proofs and of ``bindings``).
        public var met: Set<SigningKeyID>
        /// The account each met key belongs to, where it has a name.
        public var accounts: [SigningKeyID: String]

        /// Makes what a receiver knows.
        public init(
            bindings: [PeerID: SigningKeyID] = [:], met: Set<SigningKeyID> = [], accounts: [SigningKeyID: String] = [:]
        ) {
            self.bindings = bindings
            self.met = met.union(accounts.keys)
            self.accounts = accounts
        }
    }

    /// A verified proof with the chain it signs (the receiver's chain at the proof's counter), to keep so that the
    /// revisions can be sent on with it.
    public struct KeptProof: Sendable, Equatable {
        /// The proof, tail included (a tail means the signature reaches past the revisions held).
        public var proof: ChainProof
        /// The chain at ``ChainProof/counter``.
        public var chain: RevisionChain

        /// Makes a kept proof.
        public init(proof: ChainProof, chain: RevisionChain) {
            self.proof = proof
            self.chain = chain
        }
    }

    /// A key to record as met, with the account it belongs to (nil: none named; a name already known is kept).
    public struct KeyAccount: Sendable, Equatable {
        /// The key.
        public var key: SigningKeyID
        /// Its account, if named.
        public var account: String?

        /// Makes a record.
        public init(key: SigningKeyID, account: String?) {
            self.key = key
            self.account = account
        }
    }

    /// What an accepted page's signatures add: each list is sorted (origin, or key), so that receivers writing them
    /// at once take their locks in one order.
    public struct Verdict: Sendable, Equatable {
        /// Proofs to keep, one per advanced origin that was signed.
        public var proofs: [KeptProof] = []
        /// Origins bound to a key for the first time.
        public var bindings: [(origin: PeerID, key: SigningKeyID)] = []
        /// Keys to record as met, with their accounts.
        public var keyAccounts: [KeyAccount] = []

        /// Nothing to keep: a page that advances no origin.
        public init() {}

        public static func == (left: Verdict, right: Verdict) -> Bool {
            left.proofs == right.proofs && left.keyAccounts == right.keyAccounts
                && left.bindings.map(\.origin) == right.bindings.map(\.origin)
                && left.bindings.map(\.key) == right.bindings.map(\.key)
        }
    }

    /// The advances of a page's new revisions (those the receiver stores, in page order, each origin's counters
    /// continuing without gaps), from the receiver's chain of each origin at the counter it held (an origin absent
    /// from `heldChains` starts at ``RevisionChain/start(of:)``). In order of first appearance.
    public static func advances(of newRevisions: [Revision], heldChains: [PeerID: RevisionChain]) -> [Advance] {
        var order: [PeerID] = []
        var advances: [PeerID: Advance] = [:]
        for revision in newRevisions {
            if var advance = advances[revision.origin] {
                advance.chain = advance.chain.appending(revision.id)
                advance.through = revision.counter
                advances[revision.origin] = advance
            } else {
                order.append(revision.origin)
                let held = heldChains[revision.origin] ?? .start(of: revision.origin)
                advances[revision.origin] = Advance(
                    origin: revision.origin, through: revision.counter, chain: held.appending(revision.id),
                    firstNew: revision.id)
            }
        }
        return order.compactMap { advances[$0] }
    }

    /// Judges the page's signatures (see the type's notes) and returns what to keep; throws the first refusal:
    /// ``MarginCoreError/Kind/unsignedRevision(revision:origin:)``, ``MarginCoreError/Kind/badSignature(origin:counter:reason:)``,
    /// ``MarginCoreError/Kind/forgedOrigin(revision:origin:key:owner:)`` or ``MarginCoreError/Kind/unknownKey(revision:origin:key:)``.
    public static func judge(
        _ advances: [Advance], proofs: [ChainProof], known: KnownKeys, sender: Sender
    ) throws(MarginCoreError) -> Verdict {
        var pusher: PeerID?
        if case let .pusher(origin, _) = sender { pusher = origin }
        func rank(_ advance: Advance) -> (Int, String) {
            (advance.origin == pusher ? 0 : 1, advance.origin.rawValue)
        }
        var met = known.met
        var accounts = known.accounts
        var verdict = Verdict()
        for advance in advances.sorted(by: { rank($0) < rank($1) }) {
            let origin = advance.origin
            let bound = known.bindings[origin]
            guard let proof = proofs.filter({ $0.origin == origin && $0.counter >= advance.through })
                .min(by: { $0.counter < $1.counter })
            else {
                if let covering = proofs.first(where: { $0.origin == origin }) {
                    throw MarginCoreError(.badSignature(
                        origin: origin, counter: covering.counter,
                        reason: "it covers the origin's revisions only through \(covering.counter), and the page holds them through \(advance.through)"))
                }
                if case .server = sender, bound == nil { continue }
                throw MarginCoreError(.unsignedRevision(revision: advance.firstNew, origin: origin))
            }
            guard Int64(proof.tail.count) == proof.counter - advance.through else {
                throw MarginCoreError(.badSignature(
                    origin: origin, counter: proof.counter,
                    reason: "its tail lists \(proof.tail.count) ids, but \(proof.counter - advance.through) revisions lie between the page's last one and the signed counter"))
            }
            let signed = advance.chain.appending(contentsOf: proof.tail)
            try proof.verify(chain: signed)
            if let bound, bound != proof.key {
                throw MarginCoreError(.forgedOrigin(
                    revision: advance.firstNew, origin: origin, key: proof.key, owner: accounts[bound]))
            }
            switch sender {
            case let .pusher(from, account):
                if !met.contains(proof.key) {
                    guard origin == from else {
                        throw MarginCoreError(.unknownKey(revision: advance.firstNew, origin: origin, key: proof.key))
                    }
                    met.insert(proof.key)
                    accounts[proof.key] = account
                    verdict.keyAccounts.append(KeyAccount(key: proof.key, account: account))
                }
            case let .server(names):
                let name = names[proof.key]
                if !met.contains(proof.key) || (name != nil && name != accounts[proof.key]) {
                    met.insert(proof.key)
                    if let name { accounts[proof.key] = name }
                    verdict.keyAccounts.removeAll { $0.key == proof.key }
                    verdict.keyAccounts.append(KeyAccount(key: proof.key, account: name))
                }
            }
            if bound == nil { verdict.bindings.append((origin, proof.key)) }
            verdict.proofs.append(KeptProof(proof: proof, chain: signed))
        }
        verdict.proofs.sort { $0.proof.origin < $1.proof.origin }
        verdict.bindings.sort { $0.origin < $1.origin }
        verdict.keyAccounts.sort { $0.key < $1.key }
        return verdict
    }
}
