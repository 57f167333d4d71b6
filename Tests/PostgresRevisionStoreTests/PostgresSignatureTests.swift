import MarginCore
import PostgresNIO
import PostgresRevisionStore
import PostgresTestSupport
import SyncProtocol
import Testing

/// A pushed page's signatures are judged as the embedded store judges a pusher's: every new revision covered by a
/// proof whose signature holds over the chain, the first key to sign an origin owns it, a key not met is accepted only
/// for the pusher's own origin; refused pages store nothing, and accepted proofs are sent on with later pages.
@Suite("PostgreSQL store: signatures")
struct PostgresSignatureTests {
    /// Everything the database holds, signatures included, compared before and after a refused page.
    struct Contents: Equatable {
        var revisions: [Revision]
        var vector: VersionVector
        var rows: [String]

        init(_ repository: PostgresRevisionRepository) async throws {
            revisions = try await repository.allRevisions()
            vector = try await repository.vector()
            rows = []
            for try await row in try await repository.client.query("""
                SELECT 'signature ' || origin || ' ' || counter || ' ' || key FROM chain_signature
                UNION ALL SELECT 'binding ' || origin || ' ' || key FROM origin_key
                UNION ALL SELECT 'key ' || key || ' ' || coalesce(account, '-') FROM key_account
                UNION ALL SELECT 'chain ' || origin || ' ' || encode(chain, 'hex') FROM sync_vector
                ORDER BY 1
                """
            ).decode(String.self) {
                rows.append(row)
            }
        }
    }

    /// A peer's first `count` revisions, one record each.
    static func history(of number: Int, count: Int) -> (peer: TestPeer, revisions: [Revision]) {
        var peer = TestPeer(number)
        for index in 0..<count { peer.create("note-\(number)-\(index)") }
        return (peer, peer.log)
    }

    /// Expects `receive` to refuse the page with `expected`'s kind and leave the database as it was.
    func expectRefusal(
        _ repository: PostgresRevisionRepository, _ expected: (MarginCoreError.Kind) -> Bool,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ receive: () async throws -> Void
    ) async throws {
        let before = try await Contents(repository)
        do {
            try await receive()
            Issue.record("the page was accepted", sourceLocation: sourceLocation)
        } catch let error as PostgresRevisionStoreError {
            let refusal = try #require(error.signatureRefusal, "\(error)", sourceLocation: sourceLocation)
            #expect(expected(refusal.error.kind), "\(error)", sourceLocation: sourceLocation)
            #expect(refusal.error.description == error.description, sourceLocation: sourceLocation)
        }
        #expect(try await Contents(repository) == before, sourceLocation: sourceLocation)
    }

    @Test func aSignedPageIsAcceptedAndItsProofIsSentOnWithLaterPages() async throws {
        let (author, revisions) = Self.history(of: 1, count: 10)
        let key = SigningKey.generate()
        try await TestPostgres.withRepository { repository in
            let outcome = try await repository.push(revisions, key: key, account: "alice")
            #expect(outcome == .init(accepted: 10, duplicates: 0))
            #expect(try await repository.signingKey(of: author.id) == key.id)
            #expect(try await repository.accountNames(of: [key.id, SigningKey.generate().id]) == [key.id: "alice"])

            // A reader that lacks everything gets the first 4, with the signature at 10 and ids 5…10 as its tail.
            let first = try await repository.page(missingFrom: VersionVector(), limit: 4, maxBytes: 1 << 20)
            #expect(first.revisions == Array(revisions.prefix(4)))
            let proof = try #require(first.proofs.first)
            #expect(first.proofs.count == 1)
            #expect(proof.counter == 10 && proof.key == key.id)
            #expect(proof.tail == revisions.suffix(6).map(\.id))
            let carried = RevisionChain.start(of: author.id).appending(contentsOf: first.revisions.map(\.id))
            try proof.verify(chain: carried.appending(contentsOf: proof.tail))

            // The rest: the same signature, now with nothing between.
            var have = VersionVector()
            for revision in first.revisions { have.add(revision) }
            let rest = try await repository.page(missingFrom: have, limit: 100, maxBytes: 1 << 20)
            #expect(rest.revisions == Array(revisions.suffix(6)))
            #expect(rest.proofs == [ChainProof(origin: author.id, counter: 10, key: key.id, signature: proof.signature)])
        }
    }

    @Test func aSignatureReachingPastThePageIsKeptWithItsTail() async throws {
        let (author, revisions) = Self.history(of: 2, count: 6)
        try await TestPostgres.withRepository { repository in
            // The author's page stops at 4; its signature is at 6, with ids 5 and 6 as the tail.
            let early = try TestSigning.proof(of: author.id, at: 6, tailAfter: 4, in: revisions)
            try await repository.receive(Array(revisions.prefix(4)), proofs: [early], from: author.id, account: "bo")
            let page = try await repository.page(missingFrom: VersionVector(), limit: 100, maxBytes: 1 << 20)
            #expect(page.revisions == Array(revisions.prefix(4)))
            #expect(page.proofs == [early])

            // The rest arrives signed at 6: the signature is replaced by the one without a tail.
            try await repository.push(Array(revisions.suffix(2)), history: revisions)
            let whole = try await repository.page(missingFrom: VersionVector(), limit: 100, maxBytes: 1 << 20)
            #expect(whole.revisions == revisions)
            #expect(whole.proofs.map(\.counter) == [6])
            #expect(whole.proofs.first?.tail == [])
        }
    }

    @Test func anUnsignedPageIsRefused() async throws {
        let (author, revisions) = Self.history(of: 3, count: 3)
        try await TestPostgres.withRepository { repository in
            try await expectRefusal(repository, { $0 == .unsignedRevision(revision: revisions[0].id, origin: author.id) }) {
                try await repository.receive(revisions, proofs: [], from: author.id, account: "alice")
            }
            // Signed for only part of its origins: the unsigned one is named.
            var other = TestPeer(4)
            let foreign = other.create("x")
            let partly = try TestSigning.proofs(for: revisions)
            try await expectRefusal(repository, { $0 == .unsignedRevision(revision: foreign.id, origin: other.id) }) {
                try await repository.receive(revisions + [foreign], proofs: partly, from: author.id, account: "alice")
            }
        }
    }

    @Test func aWrongSignatureOrTailIsRefusedAndNothingIsStored() async throws {
        let (author, revisions) = Self.history(of: 5, count: 6)
        try await TestPostgres.withRepository { repository in
            func isBadSignature(_ kind: MarginCoreError.Kind) -> Bool {
                if case .badSignature(author.id, _, _) = kind { return true }
                return false
            }
            let page = Array(revisions.prefix(4))
            // Signed over other revisions (the first three only), but claiming counter 4.
            var wrong = try TestSigning.proofs(for: Array(revisions.prefix(3)))[0]
            wrong.counter = 4
            try await expectRefusal(repository, isBadSignature) {
                try await repository.receive(page, proofs: [wrong], from: author.id, account: "alice")
            }
            // Another key's signature under this key's name.
            var borrowed = try TestSigning.proofs(for: page, key: .generate())[0]
            borrowed.key = TestSigning.sharedKey.id
            try await expectRefusal(repository, isBadSignature) {
                try await repository.receive(page, proofs: [borrowed], from: author.id, account: "alice")
            }
            // A signature at 6 whose tail is altered, too short, or whose page stops short of the proof's start.
            let reaching = try TestSigning.proof(of: author.id, at: 6, tailAfter: 4, in: revisions)
            var swapped = reaching
            swapped.tail.reverse()
            var short = reaching
            short.tail.removeLast()
            for proof in [swapped, short] {
                try await expectRefusal(repository, isBadSignature) {
                    try await repository.receive(page, proofs: [proof], from: author.id, account: "alice")
                }
            }
            // A proof that covers the origin only through 3, for a page through 4.
            let stopsShort = try TestSigning.proofs(for: Array(revisions.prefix(3)))
            try await expectRefusal(repository, isBadSignature) {
                try await repository.receive(page, proofs: stopsShort, from: author.id, account: "alice")
            }
            // The same page signed rightly is accepted afterwards.
            #expect(try await repository.push(page).accepted == 4)
        }
    }

    @Test func anotherKeySigningABoundOriginIsAForgedOrigin() async throws {
        let (author, revisions) = Self.history(of: 6, count: 5)
        let alice = SigningKey.generate()
        let mallory = SigningKey.generate()
        try await TestPostgres.withRepository { repository in
            try await repository.push(Array(revisions.prefix(3)), key: alice, account: "alice")
            // Mallory signs the rest of alice's origin with her own key, even claiming to be that origin.
            let rest = Array(revisions.suffix(2))
            try await expectRefusal(repository, {
                $0 == .forgedOrigin(revision: rest[0].id, origin: author.id, key: mallory.id, owner: "alice")
            }) {
                try await repository.push(rest, history: revisions, key: mallory, from: author.id, account: "mallory")
            }
            #expect(try await repository.signingKey(of: author.id) == alice.id)
            #expect(try await repository.push(rest, history: revisions, key: alice, account: "alice").accepted == 2)
        }
    }

    @Test func aRelayedOriginNeedsAKeyItsAuthorShowedFirst() async throws {
        var alice = TestPeer(7)
        var bob = TestPeer(8)
        let aliceKey = SigningKey.generate()
        let bobKey = SigningKey.generate()
        for index in 0..<4 { alice.create("alice-\(index)") }
        for revision in alice.log { try bob.learn(revision) }
        bob.create("bob-0")
        try await TestPostgres.withRepository { repository in
            // Bob relays alice's revisions, signed with her key, which the server has not met: refused, even
            // though bob's own origin, judged first, is fine.
            func relay(_ page: [Revision]) async throws -> ReceiveOutcome {
                let own = page.filter { $0.origin == bob.id }
                let relayed = page.filter { $0.origin == alice.id }
                let proofs = try TestSigning.proofs(for: own, history: bob.log, key: bobKey)
                    + TestSigning.proofs(for: relayed, history: alice.log, key: aliceKey)
                return try await repository.receive(page, proofs: proofs, from: bob.id, account: "bob")
            }
            try await expectRefusal(repository, {
                $0 == .unknownKey(revision: alice.log[0].id, origin: alice.id, key: aliceKey.id)
            }) {
                _ = try await relay(bob.log)
            }
            // Alice pushes her first two herself: her key is met and bound to her account.
            try await repository.push(Array(alice.log.prefix(2)), key: aliceKey, account: "alice")
            // Bob's relay of the rest is now accepted.
            #expect(try await relay(bob.log) == .init(accepted: 3, duplicates: 2))
            #expect(try await repository.accountNames(of: [aliceKey.id, bobKey.id]) == [aliceKey.id: "alice", bobKey.id: "bob"])
            #expect(try await repository.signingKey(of: alice.id) == aliceKey.id)
            #expect(try await repository.signingKey(of: bob.id) == bobKey.id)
            let page = try await repository.page(missingFrom: VersionVector(), limit: 100, maxBytes: 1 << 20)
            #expect(Set(page.proofs.map(\.key)) == [aliceKey.id, bobKey.id])
        }
    }

    @Test func twoServersRacingToBindOneOriginBindItOnce() async throws {
        try await TestPostgres.withDatabase { url in
            try await PostgresRevisionRepository.withRepository(url: url, maximumConnections: 4) { first in
                try await PostgresRevisionRepository.withRepository(url: url, maximumConnections: 4) { second in
                    let servers = [first, second]
                    var wins = (alice: 0, mallory: 0)
                    for race in 0..<12 {
                        // Alice pushes her origin's first three through one server while mallory pushes the same
                        // three and a fourth, signed with her own key and claiming the origin, through the other.
                        // A third of the races start both at once; the others give one side a head start, in turn,
                        // so that both outcomes below are met.
                        let (author, revisions) = Self.history(of: 300 + race, count: 4)
                        let alice = SigningKey.generate()
                        let mallory = SigningKey.generate()
                        let headStart = PushHeadStart(race: race)
                        async let alicePushed = storeResult {
                            try await headStart.wait(.first)
                            return try await servers[race % 2].push(Array(revisions.prefix(3)), key: alice, account: "alice")
                        }
                        async let malloryPushed = storeResult {
                            try await headStart.wait(.second)
                            return try await servers[(race + 1) % 2].push(revisions, key: mallory, account: "mallory")
                        }
                        let (aliceResult, malloryResult) = await (alicePushed, malloryPushed)
                        let owner = try await first.signingKey(of: author.id)
                        if owner == alice.id { wins.alice += 1 } else { wins.mallory += 1 }
                        if owner == alice.id {
                            // Alice first: mallory's fourth revision is refused as a forged origin, naming alice.
                            #expect(try aliceResult.get() == .init(accepted: 3, duplicates: 0))
                            guard case let .failure(error) = malloryResult else {
                                Issue.record("mallory's page was accepted over alice's binding")
                                continue
                            }
                            if case .contention = error.kind { continue }
                            #expect(error.signatureRefusal?.error.kind == .forgedOrigin(
                                revision: revisions[3].id, origin: author.id, key: mallory.id, owner: "alice"), "\(error)")
                            #expect(try await second.vector()[author.id] == 3)
                        } else {
                            // Mallory first: alice's page holds nothing new, so nothing is judged.
                            #expect(owner == mallory.id)
                            #expect(try malloryResult.get() == .init(accepted: 4, duplicates: 0))
                            #expect(try aliceResult.get() == .init(accepted: 0, duplicates: 3))
                            #expect(try await second.vector()[author.id] == 4)
                        }
                        var bindings = 0
                        for try await count in try await first.client.query(
                            "SELECT count(*) FROM origin_key WHERE origin = \(author.id.rawValue)"
                        ).decode(Int64.self) {
                            bindings = Int(count)
                        }
                        #expect(bindings == 1)
                    }
                    print("origin binding races: alice bound first \(wins.alice) times, mallory \(wins.mallory) times")
                    #expect(wins.alice > 0 && wins.mallory > 0, "both outcomes were met")
                }
            }
        }
    }

}
