import Foundation
import MarginCore
import MarginStore
import PostgresRevisionStore
import PostgresTestSupport
import SyncBackend
import SyncClient
import SyncServer
import Testing

/// A push to a server that has not met a relayed author's key (that author has not synced with it): the server
/// refuses those revisions (403 `unknown_key`), and the client sends everything else, leaving them, and whatever
/// builds on them, for a sync after that author's.
@Suite("A push past a relayed author the server has not met")
struct HeldBackPushTests {
    /// Carol writes a report and a note and syncs with her own server; Alice pulls them from it. Then the lab, a
    /// server with accounts for both, is started for `body`, which gets Alice, Carol, the lab and the tokens.
    static func withRelayedAuthor(
        _ body: (_ alice: MarginStore, _ carol: MarginStore, _ lab: MarginStore, _ url: String,
            _ tokens: (alice: String, carol: String)) async throws -> Void
    ) async throws {
        let lab = try SyncTestSupport.newStore(author: "lab")
        let tokens = (alice: try await AccountTests.addUser(lab, "alice"), carol: try await AccountTests.addUser(lab, "carol"))
        let (alice, carol) = try await relayedAuthor()
        try await SyncTestSupport.withServer(lab) { server in
            try await body(alice, carol, lab, server.url, tokens)
        }
        try SyncTestSupport.expectSound(alice, carol, lab)
    }

    /// Carol's store, with a report and a note synced with her own server, and Alice's, which pulled them there.
    static func relayedAuthor() async throws -> (alice: MarginStore, carol: MarginStore) {
        let carolsServer = try SyncTestSupport.newStore(author: "carols-server")
        let carol = try SyncTestSupport.seededStore(author: "carol", files: 1)
        _ = try carol.addAnnotation(on: try SyncTestSupport.firstSection(carol), text: "carol's note")
        let alice = try SyncTestSupport.newStore(author: "alice")
        try await SyncTestSupport.withServer(carolsServer) { server in
            try await SyncTestSupport.sync(carol, with: server.url, name: "carols")
            try await SyncTestSupport.sync(alice, with: server.url, name: "carols")
        }
        #expect(try SyncTestSupport.revisionIDs(alice) == SyncTestSupport.revisionIDs(carol))
        return (alice, carol)
    }

    /// The ids of the revisions of `origin` that `store` holds.
    static func revisions(of origin: PeerID, in store: MarginStore) throws -> Set<RevisionID> {
        Set(try store.changeLog(limit: 1_000_000).filter { $0.origin == origin }.map(\.revision))
    }

    @Test("the relayed author's revisions wait; the pusher's own go, and follow once that author has synced")
    func ownRevisionsGoTheRelayedOnesWait() async throws {
        try await Self.withRelayedAuthor { alice, carol, lab, url, tokens in
            let section = try SyncTestSupport.firstSection(alice)
            _ = try alice.addAnnotation(on: section, text: "alice's first note")
            _ = try alice.addAnnotation(on: section, text: "alice's second note")
            let carols = try Self.revisions(of: carol.peer.id, in: alice)
            let alices = try Self.revisions(of: alice.peer.id, in: alice)

            let report = try await SyncTestSupport.sync(alice, with: url, name: "lab", token: tokens.alice)
            #expect(report.heldBack == [HeldBackOrigin(origin: carol.peer.id, author: "carol", revisions: carols.count, refused: true)])
            #expect(report.sent == alices.count)
            #expect(try SyncTestSupport.revisionIDs(lab) == alices, "the lab holds Alice's own, and nothing of Carol's")

            // Through the CLI: exit 0, the usual line, and a note naming who waits.
            let synced = await SyncTestSupport.margin(["sync", "lab", "--store", alice.path])
            #expect(synced.status == 0, "\(synced.errors)")
            #expect(synced.output.contains("lab: sent 0, received 0."))
            #expect(synced.errors.contains(
                "note: lab has not met the key of carol (\(carols.count) revisions), relayed here by another server; they wait until that author syncs with lab once"),
                "\(synced.errors)")

            // Carol syncs with the lab herself; Alice's next sync has nothing waiting.
            try await SyncTestSupport.sync(carol, with: url, name: "lab", token: tokens.carol)
            let after = try await SyncTestSupport.sync(alice, with: url, name: "lab", token: tokens.alice)
            #expect(after.heldBack == nil)
            #expect(try SyncTestSupport.revisionIDs(lab) == SyncTestSupport.revisionIDs(alice))
        }
    }

    @Test("revisions that build on waiting ones wait too, and the pusher's earlier ones go")
    func whatBuildsOnThemWaits() async throws {
        try await Self.withRelayedAuthor { alice, carol, lab, url, tokens in
            let section = try SyncTestSupport.firstSection(alice)
            let before = try alice.addAnnotation(on: section, text: "alice's note before the edit")
            let carolsNote = try #require(try alice.notes().items.first { $0.text == "carol's note" })
            _ = try alice.editAnnotation(carolsNote.id.rawValue, text: "carol's note, corrected by alice")
            _ = try alice.addAnnotation(on: section, text: "alice's note after the edit")
            let carols = try Self.revisions(of: carol.peer.id, in: alice)

            let report = try await SyncTestSupport.sync(alice, with: url, name: "lab", token: tokens.alice)
            #expect(report.heldBack == [
                HeldBackOrigin(origin: alice.peer.id, author: "alice", revisions: 2, refused: false),
                HeldBackOrigin(origin: carol.peer.id, author: "carol", revisions: carols.count, refused: true),
            ].sorted { $0.origin < $1.origin })
            let onLab = try SyncTestSupport.revisionIDs(lab)
            #expect(onLab.contains(try #require(try alice.history(of: before.id.rawValue).first?.revision.id)))
            #expect(onLab.count == 1, "only Alice's note from before the edit: the edit builds on Carol's, and what follows it waits")
            #expect(try lab.integrityProblems() == [])

            let synced = await SyncTestSupport.margin(["sync", "lab", "--store", alice.path])
            #expect(synced.status == 0, "\(synced.errors)")
            #expect(synced.errors.contains("2 revisions of this store's own wait too: they build on those, or come after one that does"),
                "\(synced.errors)")

            try await SyncTestSupport.sync(carol, with: url, name: "lab", token: tokens.carol)
            let after = try await SyncTestSupport.sync(alice, with: url, name: "lab", token: tokens.alice)
            #expect(after.heldBack == nil && after.sent == 2)
            #expect(try SyncTestSupport.revisionIDs(lab) == SyncTestSupport.revisionIDs(alice))
        }
    }

    @Test("against a server on PostgreSQL, the same: the relayed author's revisions wait, the rest is sent")
    func onPostgreSQL() async throws {
        let (alice, carol) = try await Self.relayedAuthor()
        let section = try SyncTestSupport.firstSection(alice)
        _ = try alice.addAnnotation(on: section, text: "alice's note for the lab")
        let alices = try Self.revisions(of: alice.peer.id, in: alice)
        let carols = try Self.revisions(of: carol.peer.id, in: alice)
        try await TestPostgres.withDatabase { url in
            try await PostgresRevisionRepository.withRepository(url: url, maximumConnections: 4) { repository in
                let tokens = (alice: AccountToken.generate(), carol: AccountToken.generate())
                _ = try await repository.addAccount(named: AccountName(rawValue: "alice"), readOnly: false, token: tokens.alice)
                _ = try await repository.addAccount(named: AccountName(rawValue: "carol"), readOnly: false, token: tokens.carol)
                let server = try await RunningSyncServer.start(
                    backend: try await PostgresSyncBackend(repository), configuration: SyncTestSupport.configuration())
                do {
                    let report = try await SyncTestSupport.sync(alice, with: server.url, name: "lab", token: tokens.alice)
                    #expect(report.heldBack == [HeldBackOrigin(origin: carol.peer.id, author: "carol", revisions: carols.count, refused: true)])
                    #expect(Set(try await repository.allRevisions().map(\.id)) == alices)

                    try await SyncTestSupport.sync(carol, with: server.url, name: "lab", token: tokens.carol)
                    let after = try await SyncTestSupport.sync(alice, with: server.url, name: "lab", token: tokens.alice)
                    #expect(after.heldBack == nil)
                    #expect(Set(try await repository.allRevisions().map(\.id)) == alices.union(carols))
                    await server.stop()
                } catch {
                    await server.stop()
                    throw error
                }
            }
        }
    }
}
