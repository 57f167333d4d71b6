import Foundation
import Hummingbird
import HummingbirdTesting
import MarginCore
import MarginStore
import StoreSyncBackend
import SyncClient
import SyncProtocol
import SyncServer
import Testing

/// Signed authorship (protocol 2): every store signs its own chain, every receiver verifies, relayed revisions keep
/// their author's signature, and a server binds each account to the keys it uses.
@Suite struct SignatureTests {
    /// A push of everything `store` holds, signed by its own sync.
    static func push(_ store: MarginStore) throws -> PushRequest { try SyncFaultTests.signedPush(store) }

    static func post(_ client: some TestClientProtocol, _ message: some Encodable, token: String? = nil) async throws
        -> (status: Int, error: ErrorDetail?)
    {
        let response = try await SyncFaultTests.post(client, SyncEndpoint.revisions, message, token: token)
        let error = try? SyncCoding.decode(ErrorResponse.self, from: Data(response.body.readableBytesView)).error
        return (Int(response.status.code), error)
    }

    // MARK: - Keys

    @Test func aNewStoreHasAPrivateSigningKeyThatSignsItsChain() throws {
        let store = try SyncTestSupport.newStore(author: "li")
        let path = (store.path as NSString).appendingPathComponent("signing-key")
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let key = try store.signingKeyID()
        #expect(key.publicKey != nil)
        #expect(try MarginStore.open(at: store.path).signingKeyID() == key, "the key is read back, not made again")
        // A key file others may read is refused, as ssh refuses such a key.
        chmod(path, 0o644)
        #expect(throws: MarginStoreError.self) { try MarginStore.open(at: store.path).signingKeyID() }
        chmod(path, 0o600)

        let seeded = try SyncTestSupport.seededStore(author: "li", files: 1)
        #expect(try seeded.signOwnRevisions() == 1)
        #expect(try seeded.signOwnRevisions() == 0, "nothing new to sign")
        let page = try seeded.revisions(missingFrom: [:], limit: 1_000, maxBytes: .max) { _ in 1 }
        let proof = try #require(page.proofs.first)
        #expect(page.proofs.count == 1 && proof.counter == Int64(page.revisions.count) && proof.tail.isEmpty)
        let chain = RevisionChain.start(of: seeded.peer.id).appending(contentsOf: page.revisions.map(\.id))
        try proof.verify(chain: chain)
        // A page that stops early carries the same signature with the ids after it as its tail.
        let first = try seeded.revisions(missingFrom: [:], limit: 1, maxBytes: .max) { _ in 1 }
        let partial = try #require(first.proofs.first)
        #expect(partial.counter == proof.counter && partial.tail == page.revisions.dropFirst().map(\.id))
        try partial.verify(chain: RevisionChain.start(of: seeded.peer.id).appending(first.revisions[0].id).appending(contentsOf: partial.tail))
    }

    @Test func aLongUnsignedHistoryIsSignedEveryThousandRevisionsSoTailsStayShort() async throws {
        // 3,000 revisions written without a push (a bulk import, or a store from before signatures): its first push
        // signs every 1,000 and the head, so a page that stops anywhere carries a tail of under 1,000 ids.
        let store = try KillRecoveryTests.bulkStore()
        let held = try #require(try store.versionVector()[store.peer.id])
        let expected = Int((held + MarginStore.signatureInterval - 1) / MarginStore.signatureInterval)
        #expect(try store.signOwnRevisions() == expected)
        let page = try store.revisions(missingFrom: [:], limit: 100, maxBytes: .max) { _ in 1 }
        let proof = try #require(page.proofs.first)
        #expect(proof.counter == MarginStore.signatureInterval && proof.tail.count == Int(MarginStore.signatureInterval) - 100)
        // More writing adds one signature at the new head, carried on from the last one.
        let section = try SyncTestSupport.firstSection(store)
        try store.addAnnotation(on: section, text: "之后的一条")
        #expect(try store.signOwnRevisions() == 1)
        // The whole history reaches a server page by page, every signature checked.
        let hub = try SyncTestSupport.newStore(author: "hub")
        let report = try await SyncTestSupport.withServer(hub) { server in
            try await SyncTestSupport.sync(store, with: server.url, options: SyncOptions(pageLimit: 700, transport: SyncTestSupport.transport))
        }
        #expect(try report.sent == SyncTestSupport.revisionIDs(store).count, "the hub was empty: every revision goes up")
        #expect(try SyncTestSupport.revisionIDs(hub) == SyncTestSupport.revisionIDs(store))
    }

    // MARK: - Refusals

    @Test func wrongSignaturesAreRefused422AndChangeNothing() async throws {
        let source = try SyncTestSupport.seededStore(author: "source", files: 1)
        let section = try SyncTestSupport.firstSection(source)
        try source.addAnnotation(on: section, text: "第一条")
        let server = try SyncTestSupport.newStore(author: "server")
        let push = try Self.push(source)
        let proof = try #require(push.signatures.first)
        func flipped(_ hex: String) -> String {
            var characters = Array(hex)
            characters[10] = characters[10] == "0" ? "1" : "0"
            return String(characters)
        }
        var badSignature = push
        badSignature.signatures = [ChainProof(origin: proof.origin, counter: proof.counter, key: proof.key, signature: flipped(proof.signature))]
        var otherKey = push
        otherKey.signatures = [ChainProof(
            origin: proof.origin, counter: proof.counter, key: SigningKey.generate().id, signature: proof.signature)]
        var shortPage = push
        shortPage.revisions.removeLast()
        var badTail = shortPage
        badTail.signatures = [ChainProof(
            origin: proof.origin, counter: proof.counter, key: proof.key, signature: proof.signature,
            tail: [RevisionID(rawValue: String(repeating: "ab", count: 32))])]
        var coversLess = push
        coversLess.signatures = [ChainProof(origin: proof.origin, counter: proof.counter - 1, key: proof.key, signature: proof.signature)]
        var unsigned = push
        unsigned.signatures = []
        var malformed = push
        malformed.signatures = [ChainProof(origin: proof.origin, counter: proof.counter, key: proof.key, signature: "zz")]

        let cases: [(String, PushRequest, Int, SyncErrorCode)] = [
            ("a flipped signature bit", badSignature, 422, .badSignature),
            ("another key's name on the signature", otherKey, 422, .badSignature),
            ("a tail that is not the missing revision", badTail, 422, .badSignature),
            ("the tail left out", shortPage, 422, .badSignature),
            ("a signature covering less than the page", coversLess, 422, .badSignature),
            ("no signature", unsigned, 422, .unsignedRevision),
            ("a signature that is not hexadecimal", malformed, 422, .badSignature),
        ]
        let app = buildApplication(backend: EmbeddedSyncBackend(server), configuration: SyncTestSupport.configuration())
        try await app.test(.router) { client in
            for (name, page, status, code) in cases {
                let answer = try await Self.post(client, page)
                #expect(answer.status == status, "\(name): \(answer.error?.message ?? "")")
                #expect(answer.error?.code == code, "\(name): \(answer.error?.message ?? "")")
            }
            #expect(try server.versionVector().isEmpty, "nothing of the refused pages was stored")
            let accepted = try await Self.post(client, push)
            #expect(accepted.status == 200, "\(accepted.error?.message ?? "")")
        }
        #expect(try SyncTestSupport.revisionIDs(server) == SyncTestSupport.revisionIDs(source))
        try SyncTestSupport.expectSound(server, source)
    }

    @Test func hostileProofFieldsAreClientErrorsAndChangeNothing() async throws {
        let source = try SyncTestSupport.seededStore(author: "source", files: 1)
        let server = try SyncTestSupport.newStore(author: "server")
        let push = try Self.push(source)
        let proof = try #require(push.signatures.first)
        func with(_ change: (inout ChainProof) -> Void) -> PushRequest {
            var page = push
            var changed = proof
            change(&changed)
            page.signatures = [changed]
            return page
        }
        let id = RevisionID(rawValue: String(repeating: "ab", count: 32))
        let cases: [(String, PushRequest, Int)] = [
            ("counter 0", with { $0.counter = 0 }, 422),
            ("negative counter", with { $0.counter = -1 }, 422),
            ("counter above 2^53 − 1", with { $0.counter = 1 << 53 }, 422),
            ("NUL in the origin", with { $0.origin = PeerID(rawValue: "00000000000000\u{0}a") }, 422),
            ("a key of 63 digits", with { $0.key = SigningKeyID(rawValue: String(proof.key.rawValue.dropLast())) }, 422),
            ("a key in capitals", with { $0.key = SigningKeyID(rawValue: proof.key.rawValue.uppercased()) }, 422),
            ("an empty signature", with { $0.signature = "" }, 422),
            ("a tail of 10,001 ids", with { $0.tail = Array(repeating: id, count: 10_001); $0.counter = 20_000 }, 422),
            ("a tail id that is not one", with { $0.tail = [RevisionID(rawValue: "x")]; $0.counter += 1 }, 422),
            ("5,001 proofs", { var page = push; page.signatures = Array(repeating: proof, count: 5_001); return page }(), 400),
        ]
        let app = buildApplication(backend: EmbeddedSyncBackend(server), configuration: SyncTestSupport.configuration())
        try await app.test(.router) { client in
            for (name, page, status) in cases {
                let answer = try await Self.post(client, page)
                #expect(answer.status == status, "\(name): \(answer.error?.message ?? "")")
                #expect(answer.error?.code == (status == 400 ? .malformedRequest : .badSignature), "\(name)")
            }
        }
        #expect(try server.versionVector().isEmpty, "nothing of the refused pages was stored")
        try SyncTestSupport.expectSound(server)
    }

    // MARK: - Accounts, relays and what people see

    @Test func accountsBindTheirKeysAndEveryPeerVerifiesRelayedRevisions() async throws {
        let hub = try SyncTestSupport.newStore(author: "hub")
        let aliceToken = try await AccountTests.addUser(hub, "alice")
        let bobToken = try await AccountTests.addUser(hub, "bob")
        let alice = try SyncTestSupport.seededStore(author: "李伟", files: 1)
        let bob = try SyncTestSupport.newStore(author: "王芳")
        let carol = try SyncTestSupport.newStore(author: "carol")
        let section = try SyncTestSupport.firstSection(alice)
        try alice.addAnnotation(on: section, text: "甲的批注")
        try await SyncTestSupport.withServer(hub) { server in
            try await SyncTestSupport.sync(alice, with: server.url, token: aliceToken)
            try await SyncTestSupport.sync(bob, with: server.url, token: bobToken)
            try bob.addAnnotation(on: section, text: "乙的批注")
            try await SyncTestSupport.sync(bob, with: server.url, token: bobToken)
            try await SyncTestSupport.sync(carol, with: server.url, token: bobToken)
            try await SyncTestSupport.sync(alice, with: server.url, token: aliceToken)
        }
        // The hub bound each key to the account that first pushed with it.
        #expect(try hub.accountNames(of: [alice.signingKeyID(), bob.signingKeyID()])
            == [try alice.signingKeyID(): "alice", try bob.signingKeyID(): "bob"])

        // Carol holds both authors' revisions, relayed by the hub, verified, with their accounts.
        let log = try carol.changeLog(limit: 100)
        let byAuthor = Dictionary(grouping: log, by: \.author)
        #expect(try #require(byAuthor["李伟"]).allSatisfy { $0.signer == RevisionSigner(status: .verified, key: try alice.signingKeyID(), account: "alice") })
        #expect(try #require(byAuthor["王芳"]).allSatisfy { $0.signer.status == .verified && $0.signer.account == "bob" })
        // Alice sees her own revisions as hers, with the account the hub named for her key, and Bob's as bob's.
        let aliceLog = try alice.changeLog(limit: 100)
        #expect(aliceLog.filter { $0.author == "李伟" }.allSatisfy { $0.signer.status == .thisStore && $0.signer.account == "alice" })
        #expect(aliceLog.filter { $0.author == "王芳" }.allSatisfy { $0.signer.status == .verified && $0.signer.account == "bob" })

        // log, history and show say it in text and JSON.
        let text = await SyncTestSupport.margin(["log", "--store", carol.path])
        #expect(text.output.contains("李伟 (alice ✓)") && text.output.contains("王芳 (bob ✓)"), "\(text.output)")
        let history = await SyncTestSupport.margin(["history", section, "--store", carol.path])
        #expect(history.status == 0)
        let shown = await SyncTestSupport.margin(["show", section, "--store", carol.path])
        #expect(shown.output.contains("李伟 (alice ✓)") && shown.output.contains("王芳 (bob ✓)"), "\(shown.output)")
        let json = await SyncTestSupport.margin(["log", "--json", "--store", carol.path])
        #expect(json.output.contains("\"account\" : \"alice\"") && json.output.contains("\"status\" : \"verified\""), "\(json.output)")
        let own = await SyncTestSupport.margin(["log", "--store", alice.path])
        #expect(own.output.contains("李伟 (alice ✓)"), "\(own.output)")
    }

    @Test func aRelayIsAcceptedOnlyForKeysTheServerHasMet() async throws {
        // Two servers. Alice pushes to the first only; Bob pulls her work there and pushes it to the second, which has
        // never met her key: refused, and Bob's push leaves it for later. Once Alice has pushed to the second
        // herself, Bob's relay is accepted, and a
        // reader of the second verifies Alice's revisions with the account the second server knows her by.
        let first = try SyncTestSupport.newStore(author: "first")
        let second = try SyncTestSupport.newStore(author: "second")
        let aliceOnSecond = try await AccountTests.addUser(second, "alice-2")
        let bobOnSecond = try await AccountTests.addUser(second, "bob-2")
        let alice = try SyncTestSupport.seededStore(author: "alice", files: 1)
        let bob = try SyncTestSupport.newStore(author: "bob")
        let reader = try SyncTestSupport.newStore(author: "reader")
        let section = try SyncTestSupport.firstSection(alice)
        try await SyncTestSupport.withServer(first) { one in
            try await SyncTestSupport.withServer(second) { two in
                try await SyncTestSupport.sync(alice, with: one.url, name: "one")
                try await SyncTestSupport.sync(bob, with: one.url, name: "one")
                let before = try SyncTestSupport.revisionIDs(second)
                let relayed = try await SyncTestSupport.sync(bob, with: two.url, name: "two", token: bobOnSecond)
                let alices = try alice.changeLog(limit: 1_000).count
                #expect(relayed.heldBack == [HeldBackOrigin(origin: alice.peer.id, author: "alice", revisions: alices, refused: true)])
                #expect(relayed.sent == 0)
                #expect(try SyncTestSupport.revisionIDs(second) == before)

                // Alice writes one more note and pushes to the second server herself: her key is bound there.
                try alice.addAnnotation(on: section, text: "直接推送")
                try await SyncTestSupport.sync(alice, with: two.url, name: "two", token: aliceOnSecond)
                try alice.addAnnotation(on: section, text: "经由乙转交")
                try await SyncTestSupport.sync(alice, with: one.url, name: "one")
                try await SyncTestSupport.sync(bob, with: one.url, name: "one")
                try await SyncTestSupport.sync(bob, with: two.url, name: "two", token: bobOnSecond)
                try await SyncTestSupport.sync(reader, with: two.url, name: "two", token: bobOnSecond)
            }
        }
        let notes = try reader.changeLog(limit: 100).filter { $0.author == "alice" }
        #expect(notes.count == (try alice.changeLog(limit: 100).count))
        #expect(notes.allSatisfy { $0.signer.status == .verified && $0.signer.account == "alice-2" })
        #expect(try SyncTestSupport.revisionIDs(reader) == SyncTestSupport.revisionIDs(alice))
    }

    @Test func aPulledPageUnderABoundOriginWithAnotherKeyIsRefused() throws {
        // A client verifies what its server sends as a server verifies pushes: a forged continuation of a known
        // origin is refused even when it arrives from the server.
        let alice = try SyncTestSupport.seededStore(author: "alice", files: 1)
        let reader = try SyncTestSupport.newStore(author: "reader")
        try alice.signOwnRevisions()
        let page = try alice.revisions(missingFrom: [:], limit: 1_000, maxBytes: .max) { _ in 1 }
        try reader.receive(page.revisions, proofs: page.proofs, source: "pull:hub")
        let section = try SyncTestSupport.firstSection(alice)
        let detail = try alice.section(section)
        let outline = try alice.outline(of: try #require(try alice.reports().first).shortID)
        let held = Int64(page.revisions.count)
        let forged = Revision(
            record: Identity.tag("伪造", on: detail.id), kind: .tag, parents: [], origin: alice.peer.id, counter: held + 1,
            clock: 10_000, author: "alice", createdAt: 0,
            body: BodyCoding.encode(TagBody(report: outline.id, section: detail.id, tag: "伪造", present: true)))
        let chain = RevisionChain.start(of: alice.peer.id).appending(contentsOf: page.revisions.map(\.id)).appending(forged.id)
        let proof = try SigningKey.generate().proof(origin: alice.peer.id, counter: held + 1, chain: chain)
        let before = try SyncTestSupport.revisionIDs(reader)
        #expect {
            try reader.receive([forged], proofs: [proof], source: "pull:hub")
        } throws: { error in
            guard case let .core(core)? = (error as? MarginStoreError)?.kind,
                  case let .forgedOrigin(revision, origin, _, _) = core.kind else { return false }
            return revision == forged.id && origin == alice.peer.id
        }
        // Unsigned, it is refused too: the origin's key is known.
        #expect {
            try reader.receive([forged], source: "pull:hub")
        } throws: { error in
            guard case let .core(core)? = (error as? MarginStoreError)?.kind, case .unsignedRevision = core.kind else { return false }
            return true
        }
        #expect(try SyncTestSupport.revisionIDs(reader) == before)
    }
}
