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

/// What happens when things go wrong: repeated and altered pages, bad tokens, other versions, interruptions.
/// After each fault both stores are sound and nothing written before the fault is missing.
@Suite struct SyncFaultTests {
    static func allRevisions(_ store: MarginStore) throws -> [Revision] {
        try store.revisions(missingFrom: [:], limit: 100_000, maxBytes: .max, size: { _ in 1 }).revisions
    }

    /// The push of everything `store` holds, signed as its own sync would sign it.
    static func signedPush(_ store: MarginStore) throws -> PushRequest {
        try store.signOwnRevisions()
        let page = try store.revisions(missingFrom: [:], limit: 100_000, maxBytes: .max, size: { _ in 1 })
        return PushRequest(from: store.peer.id, revisions: page.revisions, signatures: page.proofs)
    }

    static func post(
        _ client: some TestClientProtocol, _ path: String, _ message: some Encodable, token: String? = nil
    ) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(
            uri: path, method: .post, headers: headers, body: ByteBuffer(bytes: try SyncCoding.encode(message)))
    }

    static func errorCode(_ response: TestResponse) throws -> SyncErrorCode {
        try SyncCoding.decode(ErrorResponse.self, from: Data(response.body.readableBytesView)).error.code
    }

    @Test func aPageSentTwiceIsStoredOnce() async throws {
        let source = try SyncTestSupport.seededStore(author: "source", files: 1)
        let server = try SyncTestSupport.newStore(author: "server")
        let page = try Self.signedPush(source)
        let app = buildApplication(backend: EmbeddedSyncBackend(server), configuration: SyncTestSupport.configuration())
        try await app.test(.router) { client in
            let first = try SyncCoding.decode(
                PushResponse.self, from: Data(try await Self.post(client, SyncEndpoint.revisions, page).body.readableBytesView))
            let second = try SyncCoding.decode(
                PushResponse.self, from: Data(try await Self.post(client, SyncEndpoint.revisions, page).body.readableBytesView))
            #expect(first.accepted == page.revisions.count && first.duplicates == 0)
            #expect(second.accepted == 0 && second.duplicates == page.revisions.count)
            #expect(first.have == second.have)
        }
        #expect(try SyncTestSupport.revisionIDs(server) == SyncTestSupport.revisionIDs(source))
        try SyncTestSupport.expectSound(server, source)
    }

    @Test func aTamperedPageIsRejectedWholeAndChangesNothing() async throws {
        let source = try SyncTestSupport.seededStore(author: "source", files: 1)
        let section = try SyncTestSupport.firstSection(source)
        _ = try source.addAnnotation(on: source.section(section).reference, text: "原文")
        let server = try SyncTestSupport.newStore(author: "server")
        var revisions = try Self.allRevisions(source)
        // The server already has the first half; the second page alters one revision it has and one it lacks.
        let half = revisions.count / 2
        _ = try server.receive(Array(revisions[..<half]), source: "setup")
        let before = try SyncTestSupport.revisionIDs(server)
        revisions[revisions.count - 1].body = revisions[revisions.count - 1].body.replacingOccurrences(of: "原文", with: "篡改")
        let tamperedID = revisions[revisions.count - 1].id
        let page = PushRequest(from: source.peer.id, revisions: revisions)
        let app = buildApplication(backend: EmbeddedSyncBackend(server), configuration: SyncTestSupport.configuration())
        try await app.test(.router) { client in
            let response = try await Self.post(client, SyncEndpoint.revisions, page)
            #expect(response.status.code == 422)
            let error = try SyncCoding.decode(ErrorResponse.self, from: Data(response.body.readableBytesView)).error
            #expect(error.code == .hashMismatch)
            #expect(error.revision == tamperedID)
            #expect(error.message.contains(tamperedID.rawValue))
        }
        #expect(try SyncTestSupport.revisionIDs(server) == before)
        try SyncTestSupport.expectSound(server, source)
    }

    @Test func pagesThatSkipCountersOrLackParentsAreRejected() async throws {
        let source = try SyncTestSupport.seededStore(author: "source", files: 1)
        let server = try SyncTestSupport.newStore(author: "server")
        let revisions = try Self.allRevisions(source)
        let app = buildApplication(backend: EmbeddedSyncBackend(server), configuration: SyncTestSupport.configuration())
        try await app.test(.router) { client in
            let skipping = try await Self.post(
                client, SyncEndpoint.revisions, PushRequest(from: source.peer.id, revisions: Array(revisions.dropFirst())))
            #expect(skipping.status.code == 422)
            #expect(try Self.errorCode(skipping) == .invalidRevision)

            // Correctly hashed, but its body is not a tag body: still the client's fault, so 422, never 500.
            let garbage = Revision(
                record: RecordID(rawValue: "t1"), kind: .tag, parents: [], origin: PeerID(rawValue: "elsewhere"),
                counter: 1, clock: 1, author: "x", createdAt: 0, body: "not a body")
            let unreadable = try await Self.post(
                client, SyncEndpoint.revisions, PushRequest(from: source.peer.id, revisions: [garbage]))
            #expect(unreadable.status.code == 422)
            #expect(try Self.errorCode(unreadable) == .invalidRevision)
        }
        #expect(try server.versionVector().isEmpty)
    }

    @Test func tokensDecideWhoMayPullAndPush() async throws {
        let source = try SyncTestSupport.seededStore(author: "source", files: 1)
        let server = try SyncTestSupport.newStore(author: "server")
        let access = SyncAccess(writeTokens: ["w-secret"], readTokens: ["r-secret"])
        let push = try Self.signedPush(source)
        let pull = SyncRequest(have: VersionVector())
        let app = buildApplication(backend: EmbeddedSyncBackend(server), configuration: SyncTestSupport.configuration(access: access))
        try await app.test(.router) { client in
            let missing = try await Self.post(client, SyncEndpoint.sync, pull)
            #expect(missing.status.code == 401)
            #expect(missing.headers[.wwwAuthenticate] != nil)
            #expect(try Self.errorCode(missing) == .unauthorized)
            #expect(try await Self.post(client, SyncEndpoint.sync, pull, token: "wrong").status.code == 401)
            #expect(try await Self.post(client, SyncEndpoint.revisions, push, token: "wrong").status.code == 401)
            #expect(try await Self.post(client, SyncEndpoint.sync, pull, token: "r-secret").status.code == 200)
            let readPush = try await Self.post(client, SyncEndpoint.revisions, push, token: "r-secret")
            #expect(readPush.status.code == 403)
            #expect(try Self.errorCode(readPush) == .forbidden)
            #expect(try await Self.post(client, SyncEndpoint.revisions, push, token: "w-secret").status.code == 200)
            let health = try await client.execute(uri: SyncEndpoint.health, method: .get)
            #expect(health.status.code == 200)
        }
        try SyncTestSupport.expectSound(server)
    }

    @Test func theClientReportsARefusedTokenClearly() async throws {
        let hub = try SyncTestSupport.newStore(author: "hub")
        let alice = try SyncTestSupport.seededStore(author: "alice", files: 1)
        let before = try SyncTestSupport.revisionIDs(alice)
        try await SyncTestSupport.withServer(hub, access: SyncAccess(writeTokens: ["w"], readTokens: ["r"])) { server in
            await #expect(throws: SyncClientError.self) {
                try await SyncTestSupport.sync(alice, with: server.url, name: "wrong", token: "nope")
            }
            do {
                try await SyncTestSupport.sync(alice, with: server.url, name: "reader", token: "r")
                Issue.record("a read-only token pushed")
            } catch let error as SyncClientError {
                #expect(error.description.contains("403"))
            }
            let report = try await SyncTestSupport.sync(alice, with: server.url, name: "writer", token: "w")
            #expect(report.sent == before.count)
        }
        #expect(try SyncTestSupport.revisionIDs(alice) == before)
        #expect(try SyncTestSupport.revisionIDs(hub) == before)
        try SyncTestSupport.expectSound(hub, alice)
    }

    @Test func anotherProtocolVersionIsRefusedNamingBothVersions() async throws {
        let server = try SyncTestSupport.newStore(author: "server")
        let app = buildApplication(backend: EmbeddedSyncBackend(server), configuration: SyncTestSupport.configuration())
        try await app.test(.router) { client in
            let response = try await Self.post(client, SyncEndpoint.sync, SyncRequest(have: VersionVector(), protocol: 7))
            #expect(response.status.code == 409)
            let error = try SyncCoding.decode(ErrorResponse.self, from: Data(response.body.readableBytesView)).error
            #expect(error.code == .protocolMismatch)
            #expect(error.message.contains("protocol 7") && error.message.contains("protocol 2"))
            // A future version's body shape is still reported as a version mismatch, not as malformed.
            let future = try await client.execute(
                uri: SyncEndpoint.revisions, method: .post, body: ByteBuffer(string: #"{"protocol": 3, "pages": [[]]}"#))
            #expect(future.status.code == 409)
        }
    }

    @Test func badBodiesGetClientErrorsNeverServerErrors() async throws {
        let server = try SyncTestSupport.newStore(author: "server")
        let app = buildApplication(backend: EmbeddedSyncBackend(server), configuration: SyncTestSupport.configuration(maxBodyBytes: 2048))
        try await app.test(.router) { client in
            let cases: [(String, String, Int)] = [
                (SyncEndpoint.sync, "not json", 400),
                (SyncEndpoint.sync, "[]", 400),
                (SyncEndpoint.sync, #"{"have": {}}"#, 400),
                (SyncEndpoint.sync, #"{"protocol": 2, "have": {"p": -1}}"#, 400),
                (SyncEndpoint.sync, #"{"protocol": 2, "have": {}, "limit": -5}"#, 400),
                (SyncEndpoint.revisions, #"{"protocol": 2, "from": "x", "revisions": [{"id": "1"}]}"#, 400),
                (SyncEndpoint.revisions, #"{"protocol": 2, "from": "x", "revisions": []}"#, 400),
                (SyncEndpoint.revisions, #"{"protocol": 2, "from": "00000000000000a1", "revisions": []}"#, 200),
                (SyncEndpoint.sync, #"{"protocol": 2, "have": {"P\u0000": 1}}"#, 400),
                (SyncEndpoint.sync, #"{"protocol": 2, "have": {"00000000000000a1": 9007199254740992}}"#, 400),
                (SyncEndpoint.revisions, String(repeating: " ", count: 4096), 413),
                ("/v1/elsewhere", "{}", 404),
            ]
            for (path, body, status) in cases {
                let response = try await client.execute(uri: path, method: .post, body: ByteBuffer(string: body))
                #expect(Int(response.status.code) == status, "\(path) \(body.prefix(40)): \(String(buffer: response.body))")
                if status != 200 { _ = try Self.errorCode(response) }
            }
            let wrongMethod = try await client.execute(uri: SyncEndpoint.sync, method: .get)
            #expect(wrongMethod.status.code == 404)
        }
        #expect(try server.versionVector().isEmpty)
    }

    @Test func anInterruptedSyncResumesFromItsVector() async throws {
        let hub = try SyncTestSupport.seededStore(author: "hub", files: 3)
        let client = try SyncTestSupport.newStore(author: "client")
        let total = try hub.versionVector().values.reduce(0, +)
        try await SyncTestSupport.withServer(hub) { server in
            // The client applies one small page, then "dies".
            let small = SyncOptions(pageLimit: 2, maxPulledPages: 1, transport: SyncTestSupport.transport)
            let first = try await SyncTestSupport.sync(client, with: server.url, options: small)
            #expect(first.received == 2 && !first.complete)
            let afterFirst = try SyncTestSupport.revisionIDs(client)
            #expect(afterFirst.count == 2)
            #expect(try client.remote(named: "hub")?.lastSyncAt == nil)
            try SyncTestSupport.expectSound(client)

            // A restarted sync continues from the client's vector: it receives only the rest.
            let reopened = try MarginStore.open(at: client.path)
            let rest = try await SyncTestSupport.sync(
                reopened, with: server.url, options: SyncOptions(pageLimit: 3, transport: SyncTestSupport.transport))
            #expect(rest.received == Int(total) - 2)
            #expect(rest.complete)
            #expect(try SyncTestSupport.revisionIDs(reopened).isSuperset(of: afterFirst))
            #expect(try SyncTestSupport.revisionIDs(reopened) == SyncTestSupport.revisionIDs(hub))
            #expect(try reopened.remote(named: "hub")?.lastSyncAt != nil)
            #expect(try reopened.reports().map(\.id) == hub.reports().map(\.id))
        }
        try SyncTestSupport.expectSound(hub, client)
    }

    @Test func anUnreachableServerFailsClearlyAndLeavesTheStoreAlone() async throws {
        let alice = try SyncTestSupport.seededStore(author: "alice", files: 1)
        let before = try SyncTestSupport.revisionIDs(alice)
        // Start and stop a server to get a port nothing listens on.
        let url = try await SyncTestSupport.withServer(try SyncTestSupport.newStore(author: "gone")) { $0.url }
        do {
            try await SyncTestSupport.sync(alice, with: url)
            Issue.record("sync with a stopped server succeeded")
        } catch let error as SyncClientError {
            #expect(error.description.contains("Cannot reach \(url)"))
        }
        #expect(try SyncTestSupport.revisionIDs(alice) == before)
        #expect(try alice.remote(named: "hub")?.lastSyncAt == nil)
        try SyncTestSupport.expectSound(alice)
    }

    @Test func bytePagingKeepsLargeRevisionsMoving() async throws {
        let hub = try SyncTestSupport.seededStore(author: "hub", files: 5)
        let client = try SyncTestSupport.newStore(author: "client")
        try await SyncTestSupport.withServer(hub) { server in
            // A byte budget smaller than any report still moves one revision per page.
            let report = try await SyncTestSupport.sync(
                client, with: server.url, options: SyncOptions(pageBytes: 10, transport: SyncTestSupport.transport))
            let total = try hub.versionVector().values.reduce(0, +)
            #expect(report.received == Int(total))
            #expect(report.requests == Int(total))
        }
        #expect(try SyncTestSupport.revisionIDs(client) == SyncTestSupport.revisionIDs(hub))
    }

    @Test func pipelinedPagesCostOneRequestEachAndArriveInOrder() async throws {
        let alice = try SyncTestSupport.seededStore(author: "alice", files: 2)
        let hub = try SyncTestSupport.newStore(author: "hub")
        let bob = try SyncTestSupport.newStore(author: "bob")
        let total = Int(try alice.versionVector().values.reduce(0, +))
        let pages = (total + 2) / 3
        try await SyncTestSupport.withServer(hub) { server in
            let small = SyncOptions(pageLimit: 3, transport: SyncTestSupport.transport)
            // Push: one vector exchange, then one request per page, the next page read while one is in flight.
            let pushed = try await SyncTestSupport.sync(alice, with: server.url, options: small)
            #expect(pushed.sent == total)
            #expect(pushed.requests == 1 + pages)
            // Pull: each page is asked for while the previous one is applied; the last one says there is no more.
            let pulled = try await SyncTestSupport.sync(bob, with: server.url, options: SyncOptions(
                pull: true, push: false, pageLimit: 3, transport: SyncTestSupport.transport))
            #expect(pulled.received == total)
            #expect(pulled.requests == pages)
            #expect(pulled.complete)
        }
        #expect(try SyncTestSupport.revisionIDs(bob) == SyncTestSupport.revisionIDs(alice))
        #expect(try SyncTestSupport.revisionIDs(hub) == SyncTestSupport.revisionIDs(alice))
        try SyncTestSupport.expectSound(alice, hub, bob)
    }
}

/// A server that answers 503 to its first request, as one restarting behind a proxy would.
struct FlakyMiddleware<Context: RequestContext>: RouterMiddleware {
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func next() -> Int { lock.withLock { value += 1; return value } }
        var count: Int { lock.withLock { value } }
    }
    let counter: Counter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if counter.next() == 1 { throw SyncServerError(.unavailable, "Restarting; try again shortly.") }
        return try await next(request, context)
    }
}

@Suite struct SyncRetryTests {
    @Test func transientServerErrorsAreRetried() async throws {
        let hub = try SyncTestSupport.newStore(author: "hub")
        let alice = try SyncTestSupport.seededStore(author: "alice", files: 1)
        let counter = FlakyMiddleware<BasicRequestContext>.Counter()
        let router = Router()
        router.add(middleware: FlakyMiddleware(counter: counter))
        router.addRoutes(SyncController(backend: EmbeddedSyncBackend(hub)).routes())
        let app = Application(router: router, logger: SyncTestSupport.quietLogger)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let report = try await SyncTestSupport.sync(alice, with: "http://localhost:\(port)")
            #expect(report.sent == Int(try alice.versionVector().values.reduce(0, +)))
        }
        #expect(counter.count >= 3)
        #expect(try SyncTestSupport.revisionIDs(hub) == SyncTestSupport.revisionIDs(alice))
        try SyncTestSupport.expectSound(hub, alice)
    }
}
