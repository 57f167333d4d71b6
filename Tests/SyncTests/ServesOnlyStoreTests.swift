import Foundation
import MarginCore
import MarginStore
import Testing

/// A store made only to be served (`margin init --server`): pushes store revisions and heads but build no notes or
/// search entries; peers pulling from it get everything; opening it to be read builds what waited.
@Suite struct ServesOnlyStoreTests {
    @Test func pushesToAServerStoreWaitForReadingAndPeersGetEverything() async throws {
        let hub = try SyncTestSupport.newStore(author: "hub")
        try hub.markServesOnly()
        #expect(try hub.servesOnly())
        let alice = try SyncTestSupport.seededStore(author: "alice", files: 1)
        let section = try SyncTestSupport.firstSection(alice)
        for index in 0..<5 { _ = try alice.addAnnotation(on: section, text: "note \(index) #tag\(index % 2)") }
        let bob = try SyncTestSupport.newStore(author: "bob")

        try await SyncTestSupport.withServer(hub) { server in
            let pushed = try await SyncTestSupport.sync(alice, with: server.url)
            #expect(pushed.sent > 0)
            // The hub holds every revision, but has built nothing a person reads.
            #expect(try SyncTestSupport.revisionIDs(hub) == SyncTestSupport.revisionIDs(alice))
            #expect(try hub.bulkLoadPending())
            #expect(try hub.notes().total == 0)
            #expect(try hub.reports().isEmpty)

            let pulled = try await SyncTestSupport.sync(bob, with: server.url)
            #expect(pulled.received == pushed.sent)
        }
        #expect(try bob.notes().total == 5)
        #expect(try bob.reports().map(\.id) == alice.reports().map(\.id))

        // Opened again to be read, the hub builds what waited, once, and reads like any peer.
        let reopened = try MarginStore.open(at: hub.path)
        #expect(try reopened.catchUpForReading() > 0)
        #expect(try !reopened.bulkLoadPending())
        #expect(try reopened.notes().total == 5)
        #expect(try reopened.reports().map(\.id) == alice.reports().map(\.id))
        #expect(try MarginStore.open(at: hub.path).catchUpForReading() == 0)
        try SyncTestSupport.expectSound(reopened, alice, bob)
    }

    /// Through the CLI: `margin init --server` says what it made, and a command that reads the store builds first.
    @Test func theCommandLineMakesAServerStoreAndReadsItWhole() async throws {
        let path = SyncTestSupport.temporaryFolder("server")
        let made = await SyncTestSupport.margin(["init", "--server", "--store", path, "--author", "hub"])
        #expect(made.status == 0, "\(made.errors)")
        #expect(made.output.contains("Created server store"))
        #expect(made.output.hasSuffix("Next: margin user add NAME --store \(path) (an account for each person), then margin serve --store \(path).\n"),
            "a server store's next step is an account and serving it, not an import")
        let hub = try MarginStore.open(at: path)
        #expect(try hub.servesOnly())
        let alice = try SyncTestSupport.seededStore(author: "alice", files: 1)
        _ = try alice.addAnnotation(on: try SyncTestSupport.firstSection(alice), text: "the only note")
        try await SyncTestSupport.withServer(hub) { server in
            _ = try await SyncTestSupport.sync(alice, with: server.url)
        }
        #expect(try hub.notes().total == 0)
        let notes = await SyncTestSupport.margin(["notes", "--store", path, "--json"])
        #expect(notes.status == 0, "\(notes.errors)")
        #expect(notes.output.contains("the only note"))
        #expect(try !hub.bulkLoadPending())
    }
}
