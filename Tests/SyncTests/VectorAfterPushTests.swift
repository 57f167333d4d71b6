import Foundation
import MarginCore
import MarginStore
import StoreSyncBackend
import SyncBackend
@testable import SyncClient
import SyncProtocol
import SyncServer
import Synchronization
import Testing

/// A server whose database fails between storing a pushed page and reading its vector for the answer: the client
/// is told the page was stored (not that nothing changed), and the next sync finds it there.
@Suite struct VectorAfterPushTests {
    /// A server backend whose `vector()` fails, as a database gone away, right after the first page it receives.
    final class FailingAfterReceive: ForwardingSyncBackend, Sendable {
        let backend: EmbeddedSyncBackend
        private let received = Atomic<Bool>(false)
        private let failed = Atomic<Bool>(false)

        init(_ store: MarginStore) { backend = EmbeddedSyncBackend(store) }

        func receive(_ revisions: [Revision], proofs: [ChainProof], from peer: PeerID, account: String?) async throws
            -> ReceiveOutcome
        {
            let outcome = try await backend.receive(revisions, proofs: proofs, from: peer, account: account)
            received.store(true, ordering: .sequentiallyConsistent)
            return outcome
        }

        func vector() async throws -> VersionVector {
            if received.load(ordering: .sequentiallyConsistent), !failed.exchange(true, ordering: .sequentiallyConsistent) {
                throw SyncRefusal(
                    .unavailable, "The server's database cannot be reached now; nothing was changed.", retryAfterSeconds: 1)
            }
            return try await backend.vector()
        }

        /// True once the fault landed.
        var hasFailed: Bool { failed.load(ordering: .sequentiallyConsistent) }
    }

    @Test func thePushIsSaidToBeStoredAndTheNextSyncFindsIt() async throws {
        let hub = try SyncTestSupport.newStore(author: "hub")
        let alice = try SyncTestSupport.seededStore(author: "alice", files: 1)
        let failing = FailingAfterReceive(hub)
        let server = try await RunningSyncServer.start(backend: failing, configuration: SyncTestSupport.configuration())
        do {
            // One attempt: the transport would retry a 503 and meet a vector that reads again.
            var options = SyncOptions(transport: SyncTestSupport.transport)
            options.transport.attempts = 1
            let error = await #expect(throws: SyncClientError.self) {
                try await SyncTestSupport.sync(alice, with: server.url, name: "hub", options: options)
            }
            #expect(failing.hasFailed, "the fault did not land")
            #expect(error?.retryAfter == .seconds(1), "the server's Retry-After is kept for the retry")
            let text = String(describing: error)
            #expect(text.contains("The page was stored ("), "\(text)")
            #expect(!text.contains("nothing was changed"), "\(text)")
            #expect(try SyncTestSupport.revisionIDs(hub) == SyncTestSupport.revisionIDs(alice), "the page was stored")

            let again = try await SyncTestSupport.sync(alice, with: server.url, name: "hub")
            #expect(again.sent == 0, "what was stored is not sent twice")
            await server.stop()
        } catch {
            await server.stop()
            throw error
        }
        try SyncTestSupport.expectSound(hub, alice)
    }
}
