import Foundation
import MarginCore
import MarginStore
import StoreSyncBackend
import SyncBackend
import SyncClient
import SyncProtocol
import SyncServer
import Testing

/// A server that lies to the clients that pull from it: what a client takes in from its own server is checked as
/// strictly as what a server takes from a client. Each lie either fails the sync with a clear error and leaves the
/// client's store exactly as it was, or is harmless; either way the client then syncs with an honest server over the
/// same data and ends with everything, having lost nothing of its own.
@Suite struct HostileServerTests {
    /// What the lying server changes in its answers.
    enum Lie: String, CaseIterable, CustomTestStringConvertible, Sendable {
        /// A revision's body is changed and its id kept.
        case tamperedBody
        /// A revision's body is changed and its id made again to match: its origin's signature no longer holds.
        case rehashedBody
        /// A revision in the middle of an origin's run is left out.
        case skippedCounter
        /// The page is sent children first.
        case childrenFirst
        /// The page's signatures are left out, for origins the client already holds signed revisions of.
        case strippedSignatures
        /// A revision of the page is sent twice.
        case duplicated
        /// The vector claims, besides the truth, twenty origins at the highest counter there can be.
        case hugeVector
        /// The vector names origins that are not peer ids.
        case malformedVector
        /// An account name carries a terminal escape (`margin log` prints account names).
        case escapeInAccountName
        /// The answer announces more revisions but carries none.
        case moreWithoutRevisions
        /// Every answer is the history's first page, whatever the client holds, and announces more.
        case sameFirstPageForever
        /// A push is answered as if it had brought far more revisions than the page held.
        case inflatedPushCount
        /// The newest revision of the client's own origin is named with another id than the client's (not among the
        /// cases of the general test: see `aServerCannotMakeAClientDisownItsOwnRevisions`).
        case forgedOriginHead

        var testDescription: String { rawValue }
        /// Words of the error the client must fail with; nil when the lie is harmless and the sync may succeed.
        var refusal: String? {
            switch self {
            case .tamperedBody: "does not match its content"
            case .rehashedBody: "does not hold"
            case .skippedCounter, .childrenFirst: "breaks the counter-gap rule"
            case .strippedSignatures: "carries no signature of its origin's key"
            case .malformedVector: "as a peer, which is not a peer id"
            case .escapeInAccountName: "“alice\\u{1b}]0;owned\\u{7}”"
            case .moreWithoutRevisions: "it announced more revisions but sent none"
            case .sameFirstPageForever: "it announced more revisions but sent only ones this store holds"
            case .inflatedPushCount: "revisions accepted and 0 already held of a page of 1"
            case .forgedOriginHead: "no signature of this store's key"
            case .duplicated, .hugeVector: nil
            }
        }
        /// Whether the lie is in a pull answer, so that nothing of the sync may be kept when it is refused (a lie in a
        /// push answer comes after honest pages were pulled and kept).
        var isInPull: Bool { self != .inflatedPushCount }
    }

    @Test(.timeLimit(.minutes(1)), arguments: Lie.allCases.filter { $0 != .forgedOriginHead })
    func aLyingServerNeitherPoisonsNorStallsAClient(lie: Lie) async throws {
        let hub = try await Self.hubWithAWritersReport(notes: 4)
        // The client holds the writer's first revisions already (so that it knows the writer's key), and a note of
        // its own that only it holds.
        let client = try SyncTestSupport.newStore(author: "client")
        let firstPart = try hub.revisions(missingFrom: [:], limit: 2, maxBytes: 1 << 30) { _ in 1 }
        try client.receive(firstPart.revisions, proofs: firstPart.proofs, source: "setup")
        let ownNote = try client.addAnnotation(on: SyncTestSupport.firstSection(client), text: "客户端自己的批注")

        let (before, outcome) = try await Self.sync(client, withLiarOver: hub, lying: lie)
        switch outcome {
        case .failure(let error):
            let text = String(describing: error)
            #expect(lie.refusal != nil, "a harmless lie failed the sync: \(text)")
            #expect(text.contains(lie.refusal ?? "\u{0}"), "the error does not say why: \(text)")
            // Nothing of a refused answer was kept.
            if lie.isInPull {
                #expect(try Snapshot(client) == before, "the client's store changed after a refused answer (\(lie))")
            }
        case .success(let report):
            #expect(lie.refusal == nil, "the client took \(lie) without complaint: \(report)")
        }
        try SyncTestSupport.expectSound(client)

        // An honest server over the same data brings everything, and nothing of the client's was lost.
        try await SyncTestSupport.withServer(hub) { honest in
            let report = try await SyncTestSupport.sync(client, with: honest.url)
            #expect(report.complete)
        }
        #expect(try client.versionVector() == hub.versionVector())
        #expect(try SyncTestSupport.revisionIDs(client) == SyncTestSupport.revisionIDs(hub))
        #expect(try SyncTestSupport.revisionIDs(client).isSuperset(of: before.revisions))
        // The client's own note is intact, and reached the server.
        #expect(try client.annotation(ownNote.shortID).text == "客户端自己的批注")
        #expect(try hub.annotation(ownNote.shortID).text == "客户端自己的批注")
        try SyncTestSupport.expectSound(client, hub)
    }

    /// An empty store's first pull from a server that claims more than it sends: the claim sizes the bulk load's
    /// cache, and a claim of twenty origins at the highest counter there can be must neither overflow that sum nor
    /// leave the load unfinished.
    @Test func aFirstPullFromAServerClaimingTooMuchFinishesAndConverges() async throws {
        let hub = try await Self.hubWithAWritersReport()
        let client = try SyncTestSupport.newStore(author: "client")
        let server = try await RunningSyncServer.start(
            backend: LyingBackend(hub, lie: .hugeVector), configuration: SyncTestSupport.configuration())
        do {
            let report = try await SyncTestSupport.sync(client, with: server.url, name: "liar")
            let held = try SyncTestSupport.revisionIDs(hub).count
            #expect(report.received == held)
            await server.stop()
        } catch {
            await server.stop()
            throw error
        }
        // Everything it received is built: reports readable, no load left pending.
        let reports = try hub.reports().count
        #expect(try client.reports().count == reports)
        #expect(try SyncTestSupport.revisionIDs(client) == SyncTestSupport.revisionIDs(hub))
        let again = try await SyncTestSupport.withServer(hub) { honest in
            try await SyncTestSupport.sync(client, with: honest.url)
        }
        #expect(again.complete && again.received == 0)
        #expect(try client.versionVector() == hub.versionVector())
        try SyncTestSupport.expectSound(client)
    }

    /// A server that says another writer used the client's identity (its newest revision of the client's origin has
    /// another id than the client's own) must show it: that writer's revisions signed by the client's own key, which
    /// only a copy of the client's store folder holds. Without that the client keeps its identity, refuses the answer
    /// and changes nothing; believing it would re-issue the client's recent notes under a new identity, and every
    /// peer would end with each of them twice.
    @Test func aServerCannotMakeAClientDisownItsOwnRevisions() async throws {
        let hub = try SyncTestSupport.newStore(author: "hub")
        let client = try SyncTestSupport.seededStore(author: "client", files: 1)
        let section = try SyncTestSupport.firstSection(client)
        try await SyncTestSupport.withServer(hub) { honest in
            try await SyncTestSupport.sync(client, with: honest.url, name: "honest1")
        }
        for index in 1...3 { try client.addAnnotation(on: section, text: "之后的批注 \(index)") }
        try await SyncTestSupport.withServer(hub) { honest in
            try await SyncTestSupport.sync(client, with: honest.url, name: "honest2")
        }
        let identity = client.peer.id
        let notesBefore = try client.notes().total

        let (before, outcome) = try await Self.sync(client, withLiarOver: hub, lying: .forgedOriginHead)
        switch outcome {
        case .success(let report):
            Issue.record("the client believed the forged head: \(String(describing: report.identityRecovery))")
        case .failure(let error):
            #expect(String(describing: error).contains("no signature of this store's key"), "\(error)")
            #expect(try Snapshot(client) == before)
        }
        #expect(client.peer.id == identity)

        try await SyncTestSupport.withServer(hub) { honest in
            try await SyncTestSupport.sync(client, with: honest.url, name: "honest3")
        }
        #expect(try client.notes().total == notesBefore, "notes were duplicated")
        #expect(try hub.notes().total == notesBefore)
        #expect(try client.versionVector() == hub.versionVector())
        try SyncTestSupport.expectSound(client, hub)
    }

    /// What a person sees: `margin sync` against a lying server exits 1 and says on standard error that the server
    /// broke the protocol, that nothing of its answer was kept, and why.
    @Test func marginSyncSaysTheServerBrokeTheProtocol() async throws {
        let hub = try await Self.hubWithAWritersReport()
        let client = try SyncTestSupport.newStore(author: "client")
        let server = try await RunningSyncServer.start(
            backend: LyingBackend(hub, lie: .escapeInAccountName), configuration: SyncTestSupport.configuration())
        try client.addRemote(name: "liar", url: server.url, token: nil)
        let before = try Snapshot(client)
        let run = await SyncTestSupport.margin(["sync", "liar", "--store", client.path])
        await server.stop()
        #expect(run.status == 1)
        #expect(run.errors.contains("error: liar: \(server.url) sent an answer that breaks the sync protocol"), "\(run.errors)")
        #expect(run.errors.contains("Nothing of it was kept"))
        #expect(run.errors.contains("alice\\u{1b}"), "the escape is shown, not sent to the terminal: \(run.errors)")
        #expect(!run.errors.contains("\u{1B}") && !run.output.contains("\u{1B}"))
        #expect(try Snapshot(client) == before)
    }

    /// A server's store holding a writer's seed report and `notes` notes on its first section, pushed honestly, so
    /// that the revisions carry the writer's signatures.
    static func hubWithAWritersReport(notes: Int = 0) async throws -> MarginStore {
        let hub = try SyncTestSupport.newStore(author: "hub")
        let writer = try SyncTestSupport.seededStore(author: "writer", files: 1)
        let section = try SyncTestSupport.firstSection(writer)
        for index in 0..<notes { try writer.addAnnotation(on: section, text: "作者批注 \(index + 1)") }
        try await SyncTestSupport.withServer(hub) { honest in
            try await SyncTestSupport.sync(writer, with: honest.url)
        }
        return hub
    }

    /// Syncs `client` with a server over `hub` that lies as `lie` says, under the remote name `liar`; returns what the
    /// client held just before, and how the sync ended.
    static func sync(
        _ client: MarginStore, withLiarOver hub: MarginStore, lying lie: Lie
    ) async throws -> (before: Snapshot, outcome: Result<SyncReport, any Error>) {
        let server = try await RunningSyncServer.start(
            backend: LyingBackend(hub, lie: lie), configuration: SyncTestSupport.configuration())
        do {
            try client.addRemote(name: "liar", url: server.url, token: nil)
            let before = try Snapshot(client)
            let outcome: Result<SyncReport, any Error>
            do {
                outcome = .success(try await SyncTestSupport.sync(client, with: server.url, name: "liar"))
            } catch {
                outcome = .failure(error)
            }
            await server.stop()
            return (before, outcome)
        } catch {
            await server.stop()
            throw error
        }
    }

    /// What a client's store holds, for checking that a refused answer changed none of it.
    struct Snapshot: Equatable {
        var vector: [PeerID: Int64]
        var revisions: Set<RevisionID>
        var remotes: [String]

        init(_ store: MarginStore) throws {
            vector = try store.versionVector()
            revisions = try SyncTestSupport.revisionIDs(store)
            remotes = try store.remotes().map { "\($0.name) \($0.knownVector)" }
        }
    }
}

/// A server backend over a real store that lies in its answers, as `lie` says; what is pushed is stored honestly.
final class LyingBackend: ForwardingSyncBackend, @unchecked Sendable {
    let backend: EmbeddedSyncBackend
    let lie: HostileServerTests.Lie

    init(_ store: MarginStore, lie: HostileServerTests.Lie) {
        self.backend = EmbeddedSyncBackend(store)
        self.lie = lie
    }

    func vector() async throws -> VersionVector {
        var vector = try await backend.vector()
        switch lie {
        case .hugeVector:
            for index in 0..<20 {
                vector[PeerID(rawValue: String(format: "ffffffff%08x", index))] = RevisionLimits.maximumInteger
            }
        case .malformedVector:
            vector[PeerID(rawValue: "not a peer")] = 3
            vector[PeerID(rawValue: "")] = 1
        default:
            break
        }
        return vector
    }

    func page(missingFrom have: VersionVector, limit: Int, maxBytes: Int) async throws -> RevisionPage {
        if lie == .sameFirstPageForever {
            let first = try await backend.page(missingFrom: VersionVector(), limit: 2, maxBytes: maxBytes)
            return RevisionPage(revisions: first.revisions, more: true, proofs: first.proofs)
        }
        var page = try await backend.page(missingFrom: have, limit: limit, maxBytes: maxBytes)
        guard page.revisions.count >= 3 else { return page }
        // Lies about content go into the middle of the page, among the revisions the client lacks.
        let middle = page.revisions.count / 2
        switch lie {
        case .tamperedBody:
            page.revisions[middle].body = Self.edited(page.revisions[middle].body)
        case .rehashedBody:
            page.revisions[middle].body = Self.edited(page.revisions[middle].body)
            page.revisions[middle].id = RevisionHasher.hash(of: page.revisions[middle])
        case .skippedCounter:
            let origin = page.revisions[middle].origin
            if let index = page.revisions.indices.dropFirst().first(where: { page.revisions[$0].origin == origin }) {
                page.revisions.remove(at: index)
            }
        case .childrenFirst:
            page.revisions.reverse()
        case .strippedSignatures:
            page.proofs = []
        case .duplicated:
            page.revisions.append(page.revisions[middle])
        case .moreWithoutRevisions:
            page = RevisionPage(revisions: [], more: true)
        case .hugeVector, .malformedVector, .escapeInAccountName, .sameFirstPageForever, .inflatedPushCount,
            .forgedOriginHead:
            break
        }
        return page
    }

    /// A revision's body with one string value changed (still valid JSON, so that only the hash or the signature
    /// can tell).
    static func edited(_ body: String) -> String {
        if let range = body.range(of: "作者批注") { return body.replacingCharacters(in: range, with: "篡改批注") }
        if let range = body.range(of: "\"title\":\"") { return body.replacingCharacters(in: range, with: "\"title\":\"篡改") }
        return body.replacingOccurrences(of: "\"", with: "\"x", options: [], range: body.range(of: "\""))
    }

    func newestRevision(of origin: PeerID) async throws -> Revision? {
        guard var newest = try await backend.newestRevision(of: origin) else { return nil }
        if lie == .forgedOriginHead {
            // A revision two below the newest, with another id than the origin's own there.
            newest.counter = max(1, newest.counter - 2)
            newest.id = RevisionID(rawValue: String(repeating: "ab", count: 32))
        }
        return newest
    }
    func receive(_ revisions: [Revision], proofs: [ChainProof], from peer: PeerID, account: String?) async throws -> ReceiveOutcome {
        let outcome = try await backend.receive(revisions, proofs: proofs, from: peer, account: account)
        return lie == .inflatedPushCount ? ReceiveOutcome(accepted: .max, duplicates: 0) : outcome
    }
    func accountNames(of keys: [SigningKeyID]) async throws -> [SigningKeyID: String] {
        guard lie == .escapeInAccountName else { return try await backend.accountNames(of: keys) }
        return Dictionary(keys.map { ($0, "alice\u{1B}]0;owned\u{07}") }, uniquingKeysWith: { first, _ in first })
    }
}
