import MarginCore
import Testing

/// The signature rules of a received page, apart from any store.
@Suite("Signature admission")
struct SignatureAdmissionTests {
    static let alice = PeerID(rawValue: "a1a1a1a1a1a1a1a1")
    static let bob = PeerID(rawValue: "b0b0b0b0b0b0b0b0")

    /// `count` revisions of `origin`, counters 1…count, one record each.
    static func revisions(of origin: PeerID, count: Int) -> [Revision] {
        (1...count).map { counter in
            Revision(
                record: RecordID(rawValue: "\(origin.rawValue)-\(counter)"), kind: RecordKind(rawValue: "memo"),
                parents: [], origin: origin, counter: Int64(counter), clock: Int64(counter), author: "someone",
                createdAt: 1_700_000_000_000, body: "{\"text\":\"\(counter)\"}")
        }
    }

    /// The proof of `revisions` (one origin, from counter 1) at their last counter.
    static func proof(_ revisions: [Revision], key: SigningKey) throws -> ChainProof {
        let origin = revisions[0].origin
        let chain = RevisionChain.start(of: origin).appending(contentsOf: revisions.map(\.id))
        return try key.proof(origin: origin, counter: revisions.last!.counter, chain: chain)
    }

    @Test func advancesCarryEachOriginsChainFromWhatIsHeld() {
        let mine = Self.revisions(of: Self.alice, count: 3)
        let theirs = Self.revisions(of: Self.bob, count: 2)
        let held = RevisionChain.start(of: Self.alice).appending(mine[0].id)
        let advances = SignatureAdmission.advances(
            of: [mine[1], theirs[0], mine[2], theirs[1]], heldChains: [Self.alice: held])
        #expect(advances == [
            .init(origin: Self.alice, through: 3, chain: held.appending(contentsOf: [mine[1].id, mine[2].id]), firstNew: mine[1].id),
            .init(
                origin: Self.bob, through: 2, chain: RevisionChain.start(of: Self.bob).appending(contentsOf: theirs.map(\.id)),
                firstNew: theirs[0].id),
        ])
    }

    @Test func aPusherShowsItsKeyWithItsOwnOriginAndMayThenRelayWhatItSigns() throws {
        let key = SigningKey.generate()
        let mine = Self.revisions(of: Self.alice, count: 2)
        let other = Self.revisions(of: Self.bob, count: 1)
        let proofs = [try Self.proof(other, key: key), try Self.proof(mine, key: key)]
        let advances = SignatureAdmission.advances(of: other + mine, heldChains: [:])
        let verdict = try SignatureAdmission.judge(
            advances, proofs: proofs, known: .init(), sender: .pusher(origin: Self.alice, account: "alice"))
        #expect(verdict.keyAccounts == [.init(key: key.id, account: "alice")])
        #expect(verdict.bindings.map(\.origin) == [Self.alice, Self.bob])
        #expect(verdict.proofs.map(\.proof) == [proofs[1], proofs[0]])
        #expect(verdict.proofs[0].chain == advances[1].chain)
    }

    @Test func eachRefusalIsNamed() throws {
        let alicesKey = SigningKey.generate()
        let mallorysKey = SigningKey.generate()
        let mine = Self.revisions(of: Self.alice, count: 2)
        let advances = SignatureAdmission.advances(of: mine, heldChains: [:])
        let pusher = SignatureAdmission.Sender.pusher(origin: Self.alice, account: "alice")

        #expect(throws: MarginCoreError(.unsignedRevision(revision: mine[0].id, origin: Self.alice))) {
            try SignatureAdmission.judge(advances, proofs: [], known: .init(), sender: pusher)
        }
        let bound = SignatureAdmission.KnownKeys(bindings: [Self.alice: alicesKey.id], accounts: [alicesKey.id: "alice"])
        #expect(throws: MarginCoreError(.forgedOrigin(revision: mine[0].id, origin: Self.alice, key: mallorysKey.id, owner: "alice"))) {
            try SignatureAdmission.judge(
                advances, proofs: [try Self.proof(mine, key: mallorysKey)], known: bound,
                sender: .pusher(origin: Self.alice, account: "mallory"))
        }
        #expect(throws: MarginCoreError(.unknownKey(revision: mine[0].id, origin: Self.alice, key: alicesKey.id))) {
            try SignatureAdmission.judge(
                advances, proofs: [try Self.proof(mine, key: alicesKey)], known: .init(),
                sender: .pusher(origin: Self.bob, account: "bob"))
        }
        // A proof that stops short of the page, and one whose tail is not the ids between.
        let short = try Self.proof(Array(mine.prefix(1)), key: alicesKey)
        var tailed = try Self.proof(Self.revisions(of: Self.alice, count: 3), key: alicesKey)
        tailed.tail = [mine[0].id]
        for proof in [short, tailed] {
            do {
                _ = try SignatureAdmission.judge(advances, proofs: [proof], known: bound, sender: pusher)
                Issue.record("\(proof) was accepted")
            } catch {
                guard case .badSignature(Self.alice, _, _) = error.kind else {
                    Issue.record("\(error)")
                    continue
                }
            }
        }
    }

    @Test func aServerMaySendUnsignedRevisionsOfAnOriginWithNoKey() throws {
        let key = SigningKey.generate()
        let old = Self.revisions(of: Self.bob, count: 2)
        let advances = SignatureAdmission.advances(of: old, heldChains: [:])
        let verdict = try SignatureAdmission.judge(advances, proofs: [], known: .init(), sender: .server(accounts: [:]))
        #expect(verdict == SignatureAdmission.Verdict())
        let bound = SignatureAdmission.KnownKeys(bindings: [Self.bob: key.id], met: [key.id])
        #expect(throws: MarginCoreError(.unsignedRevision(revision: old[0].id, origin: Self.bob))) {
            try SignatureAdmission.judge(advances, proofs: [], known: bound, sender: .server(accounts: [:]))
        }
        let named = try SignatureAdmission.judge(
            advances, proofs: [try Self.proof(old, key: key)], known: bound, sender: .server(accounts: [key.id: "bob"]))
        #expect(named.keyAccounts == [.init(key: key.id, account: "bob")])
        #expect(named.bindings.isEmpty)
    }
}
