import Foundation
import HummingbirdTesting
import MarginCore
import MarginStore
import NIOCore
import StoreSyncBackend
import SyncBackend
import SyncClient
import SyncProtocol
import SyncServer
import Testing

/// Two writers under one identity: a copied store folder, a backup restored after the store had synced, and a
/// revision pushed under another peer's origin. Each time the store notices at its next sync, moves to a fresh
/// identity and loses nothing: every note written on either side reaches every peer.
@Suite struct StoreIdentityTests {
    /// Copies a store folder as `cp -r` would, while the store is open (WAL and shared-memory files included).
    static func copyFolder(of store: MarginStore) throws -> MarginStore {
        let copy = SyncTestSupport.temporaryFolder("copy")
        try FileManager.default.copyItem(atPath: store.path, toPath: copy)
        return try MarginStore.open(at: copy)
    }

    /// The live annotation texts of a store, sorted.
    static func notes(_ store: MarginStore) throws -> [String] {
        var texts: [String] = []
        for report in try store.reports() {
            for section in try store.outline(of: report.shortID).sections {
                texts += try store.section(section.reference).annotations.map(\.text)
            }
        }
        return texts.sorted()
    }

    /// Checks that every store holds the same revisions, the same notes, each revision verifies, and no store
    /// shares an identity with another.
    static func expectConverged(_ stores: [MarginStore], notes expected: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let vector = try stores[0].versionVector()
        for store in stores {
            #expect(try store.versionVector() == vector, sourceLocation: sourceLocation)
            #expect(try notes(store) == expected.sorted(), sourceLocation: sourceLocation)
            let page = try store.revisions(missingFrom: [:], limit: 100_000, maxBytes: 1 << 30) { _ in 1 }
            for revision in page.revisions { try revision.verify() }
        }
        try SyncTestSupport.expectSound(stores[0])
    }

    @Test func aCopiedStoreMovesToANewIdentityAndBothCopiesKeepEveryNote() async throws {
        let hub = try SyncTestSupport.newStore(author: "hub")
        try await SyncTestSupport.withServer(hub) { server in
            let original = try SyncTestSupport.seededStore(author: "li", files: 1)
            let section = try SyncTestSupport.firstSection(original)
            try original.addAnnotation(on: section, text: "shared before the copy")
            try await SyncTestSupport.sync(original, with: server.url)
            // Made before the copy but not yet pushed: both copies hold it, and it must arrive once.
            try original.addAnnotation(on: section, text: "unpushed at copy time")
            let copy = try Self.copyFolder(of: original)
            #expect(copy.peer.id == original.peer.id)
            #expect(try copy.mayBeACopy())
            #expect(try !original.mayBeACopy())

            try original.addAnnotation(on: section, text: "written in the original")
            let copied = try copy.addAnnotation(on: section, text: "written in the copy")
            _ = try copy.editAnnotation(copied.shortID, text: "written in the copy, then edited")
            try copy.addAnnotation(on: section, text: "second note in the copy")

            let first = try await SyncTestSupport.sync(original, with: server.url)
            #expect(first.identityRecovery == nil)
            let second = try await SyncTestSupport.sync(copy, with: server.url)
            let recovery = try #require(second.identityRecovery)
            #expect(recovery.retired == original.peer.id)
            #expect(recovery.fresh == copy.peer.id && copy.peer.id != original.peer.id)
            // The note both copies held is shared; the copy's own three revisions are re-issued.
            #expect(recovery.reissued == 3)
            #expect(recovery.renamedAnnotations.count == 2)
            #expect(try !copy.mayBeACopy())
            // Nothing is left that the copy made and the server lacks.
            #expect(try copy.countMissing(from: copy.remote(named: "hub")?.knownVector ?? [:]) == 0)
            try await SyncTestSupport.sync(original, with: server.url)

            let reader = try SyncTestSupport.newStore(author: "reader")
            try await SyncTestSupport.sync(reader, with: server.url)
            let all = [
                "shared before the copy", "unpushed at copy time", "written in the original",
                "written in the copy, then edited", "second note in the copy",
            ]
            try Self.expectConverged([hub, original, copy, reader], notes: all)

            // Both keep writing under their own identities from now on, without another recovery.
            try original.addAnnotation(on: section, text: "later, original")
            try copy.addAnnotation(on: section, text: "later, copy")
            for store in [original, copy, original, reader] {
                let report = try await SyncTestSupport.sync(store, with: server.url)
                #expect(report.identityRecovery == nil)
            }
            try Self.expectConverged([hub, original, copy, reader], notes: all + ["later, original", "later, copy"])
        }
    }

    @Test func aBackupRestoredAfterTheStoreSyncedTakesANewIdentityAndPullsWhatItHadLost() async throws {
        let hub = try SyncTestSupport.newStore(author: "hub")
        try await SyncTestSupport.withServer(hub) { server in
            let store = try SyncTestSupport.seededStore(author: "wang", files: 1)
            let section = try SyncTestSupport.firstSection(store)
            try store.addAnnotation(on: section, text: "in the backup")
            try await SyncTestSupport.sync(store, with: server.url)
            let backup = try Self.copyFolder(of: store)
            let atBackup = try #require(try backup.versionVector()[backup.peer.id])
            // After the backup the store writes and pushes more; then the disk dies.
            try store.addAnnotation(on: section, text: "after the backup, pushed")
            try store.addAnnotation(on: section, text: "after the backup, pushed too")
            try await SyncTestSupport.sync(store, with: server.url)

            // The restored backup is edited before its first sync: its counters collide with the lost ones.
            try backup.addAnnotation(on: section, text: "written after the restore")
            #expect(try backup.mayBeACopy())
            let report = try await SyncTestSupport.sync(backup, with: server.url)
            let recovery = try #require(report.identityRecovery)
            #expect(recovery.sharedThrough == atBackup)
            #expect(recovery.reissued == 1)
            #expect(report.received == 2)

            let reader = try SyncTestSupport.newStore(author: "reader")
            try await SyncTestSupport.sync(reader, with: server.url)
            try Self.expectConverged(
                [hub, backup, reader],
                notes: ["in the backup", "after the backup, pushed", "after the backup, pushed too", "written after the restore"])
        }
    }

    @Test func aRestoredBackupWithNothingNewOnlyChangesIdentity() async throws {
        let hub = try SyncTestSupport.newStore(author: "hub")
        try await SyncTestSupport.withServer(hub) { server in
            let store = try SyncTestSupport.seededStore(author: "zhao", files: 1)
            try await SyncTestSupport.sync(store, with: server.url)
            let backup = try Self.copyFolder(of: store)
            try store.addAnnotation(on: try SyncTestSupport.firstSection(store), text: "lost with the disk")
            try await SyncTestSupport.sync(store, with: server.url)
            let report = try await SyncTestSupport.sync(backup, with: server.url)
            let recovery = try #require(report.identityRecovery)
            #expect(recovery.reissued == 0)
            #expect(backup.peer.id != store.peer.id)
            #expect(try Self.notes(backup) == ["lost with the disk"])
            // Its next note is its own, and the old identity's next counter stays free for the original.
            try backup.addAnnotation(on: try SyncTestSupport.firstSection(backup), text: "after the restore")
            try await SyncTestSupport.sync(backup, with: server.url)
            try await SyncTestSupport.sync(store, with: server.url)
            try Self.expectConverged([hub, store, backup], notes: ["lost with the disk", "after the restore"])
        }
    }

    @Test func aRevisionPushedUnderAnotherStoresOriginIsRefusedAsForgedAndNothingIsLost() async throws {
        let hub = try SyncTestSupport.newStore(author: "hub")
        try await SyncTestSupport.withServer(hub) { server in
            let victim = try SyncTestSupport.seededStore(author: "victim", files: 1)
            let section = try SyncTestSupport.firstSection(victim)
            try await SyncTestSupport.sync(victim, with: server.url)
            let held = try victim.versionVector()[victim.peer.id] ?? 0
            // Anyone with a write token can make a valid revision under the victim's origin and next counter, but
            // only with a key of their own: the hub has bound the origin to the victim's key.
            let outline = try victim.outline(of: try #require(try victim.reports().first).shortID)
            let detail = try victim.section(section)
            let body = BodyCoding.encode(TagBody(report: outline.id, section: detail.id, tag: "forged", present: true))
            let forged = Revision(
                record: Identity.tag("forged", on: detail.id), kind: .tag, parents: [], origin: victim.peer.id,
                counter: held + 1, clock: 1_000, author: "victim", createdAt: 0, body: body)
            let forgerKey = SigningKey.generate()
            let heldIDs = try SyncFaultTests.allRevisions(victim).filter { $0.origin == victim.peer.id }
                .sorted { $0.counter < $1.counter }.map(\.id)
            let head = RevisionChain.start(of: victim.peer.id).appending(contentsOf: heldIDs)
            let proof = try forgerKey.proof(origin: victim.peer.id, counter: held + 1, chain: head.appending(forged.id))
            let before = try SyncTestSupport.revisionIDs(hub)
            let app = buildApplication(backend: EmbeddedSyncBackend(hub), configuration: SyncTestSupport.configuration())
            try await app.test(.router) { client in
                let request = try SyncCoding.encode(
                    PushRequest(from: victim.peer.id, revisions: [forged], signatures: [proof]))
                let response = try await client.execute(uri: SyncEndpoint.revisions, method: .post, body: ByteBuffer(bytes: request))
                #expect(response.status.code == 403)
                let error = try SyncCoding.decode(ErrorResponse.self, from: Data(response.body.readableBytesView)).error
                #expect(error.code == .forgedOrigin && error.revision == forged.id, "\(error.message)")
                #expect(error.message.contains(victim.peer.id.rawValue), "\(error.message)")
            }
            #expect(try SyncTestSupport.revisionIDs(hub) == before)
            try victim.addAnnotation(on: section, text: "the victim's own note")
            let report = try await SyncTestSupport.sync(victim, with: server.url)
            #expect(report.identityRecovery == nil && report.sent == 1)
            let reader = try SyncTestSupport.newStore(author: "reader")
            try await SyncTestSupport.sync(reader, with: server.url)
            try Self.expectConverged([hub, victim, reader], notes: ["the victim's own note"])
        }
    }

    @Test func aCopiedFolderThroughTheBinaryTellsTheUserOnce() async throws {
        guard let margin = MarginBinaryTests.marginExecutable() else {
            Issue.record("No built `margin` executable found; run `swift build` before `swift test`.")
            return
        }
        let hubPath = SyncTestSupport.temporaryFolder("hub")
        _ = try MarginStore.create(at: hubPath, author: "hub")
        let (server, url) = try MarginBinaryTests.serve(margin, store: hubPath)
        defer { if server.isRunning { server.terminate() } }
        let original = try SyncTestSupport.seededStore(author: "li", files: 1)
        let section = try SyncTestSupport.firstSection(original)
        #expect(try MarginBinaryTests.run(margin, ["remote", "add", "hub", url, "--token", "t0ken", "--store", original.path]).status == 0)
        #expect(try MarginBinaryTests.run(margin, ["sync", "--store", original.path]).status == 0)
        let copyPath = SyncTestSupport.temporaryFolder("copy")
        let copied = try MarginBinaryTests.run(URL(fileURLWithPath: "/bin/cp"), ["-r", original.path, copyPath])
        #expect(copied.status == 0)
        #expect(try MarginBinaryTests.run(margin, ["annotate", "--store", original.path, section, "from the original"]).status == 0)
        #expect(try MarginBinaryTests.run(margin, ["annotate", "--store", copyPath, section, "from the copy"]).status == 0)
        let warned = try MarginBinaryTests.run(margin, ["status", "--store", copyPath])
        #expect(warned.output.contains("copied or restored"))
        #expect(try MarginBinaryTests.run(margin, ["sync", "--store", original.path]).status == 0)
        let recovered = try MarginBinaryTests.run(margin, ["sync", "--store", copyPath])
        #expect(recovered.status == 0, "\(recovered.errors)")
        #expect(recovered.errors.contains("This store now writes as"))
        #expect(recovered.output.contains("sent 1, received 1"))
        let again = try MarginBinaryTests.run(margin, ["sync", "--store", copyPath])
        #expect(!again.errors.contains("now writes as"))
        #expect(try MarginBinaryTests.run(margin, ["sync", "--store", original.path]).output.contains("received 1"))
        for path in [original.path, copyPath] {
            let shown = try MarginBinaryTests.run(margin, ["show", "--store", path, section])
            #expect(shown.output.contains("from the original") && shown.output.contains("from the copy"), "\(path)")
        }
        server.terminate()
        server.waitUntilExit()
    }
}

/// A server store that, once armed, runs a block just before answering its n-th pull: another client's push
/// landing while a sync is under way, at a chosen moment.
final class InterleavingRepository: ForwardingSyncBackend, @unchecked Sendable {
    let backend: EmbeddedSyncBackend
    private let lock = NSLock()
    private var countdown = 0
    private var interleave: (@Sendable () throws -> Void)?

    init(_ store: MarginStore) { self.backend = EmbeddedSyncBackend(store) }

    /// Runs `block` once, before the `pull`-th pull from now is answered.
    func arm(atPull pull: Int, _ block: @escaping @Sendable () throws -> Void) {
        lock.withLock {
            countdown = pull
            interleave = block
        }
    }

    func page(missingFrom have: VersionVector, limit: Int, maxBytes: Int) async throws -> RevisionPage {
        let due: (@Sendable () throws -> Void)? = lock.withLock {
            guard interleave != nil else { return nil }
            countdown -= 1
            guard countdown == 0 else { return nil }
            defer { interleave = nil }
            return interleave
        }
        try due?()
        return try await backend.page(missingFrom: have, limit: limit, maxBytes: maxBytes)
    }
}

extension StoreIdentityTests {
    /// Two copies sync at the same time: the copy's push lands between the original's identity check and the rest of
    /// its sync. Whichever way the counters fall, neither copy's notes are lost and both converge.
    @Test(arguments: [(original: 3, copy: 2), (original: 1, copy: 3)])
    func copiesSyncingAtTheSameTimeLoseNothing(notes: (original: Int, copy: Int)) async throws {
        let hub = try SyncTestSupport.newStore(author: "hub")
        let interleaving = InterleavingRepository(hub)
        let server = try await RunningSyncServer.start(backend: interleaving, configuration: SyncTestSupport.configuration())
        do {
            let other = try SyncTestSupport.seededStore(author: "other", files: 2)
            let original = try SyncTestSupport.seededStore(author: "li", files: 1)
            let section = try SyncTestSupport.firstSection(original)
            try await SyncTestSupport.sync(other, with: server.url)
            try await SyncTestSupport.sync(original, with: server.url)
            let copy = try Self.copyFolder(of: original)
            var expected: [String] = []
            for index in 1...notes.original {
                try original.addAnnotation(on: section, text: "original \(index)")
                expected.append("original \(index)")
            }
            for index in 1...notes.copy {
                try copy.addAnnotation(on: section, text: "copy \(index)")
                expected.append("copy \(index)")
            }
            // More for the original to pull, so that its pull takes several pages.
            let otherSection = try SyncTestSupport.firstSection(other)
            for index in 1...6 { try other.addAnnotation(on: otherSection, text: "other \(index)") }
            expected += (1...6).map { "other \($0)" }
            try await SyncTestSupport.sync(other, with: server.url)
            // The copy's page, as its push would send it: what the hub lacks of the shared origin.
            try copy.signOwnRevisions()
            let copyPage = try copy.revisions(missingFrom: try hub.versionVector(), limit: 100, maxBytes: 1 << 30) { _ in 1 }
            interleaving.arm(atPull: 2) {
                _ = try hub.receive(
                    copyPage.revisions, proofs: copyPage.proofs, from: .pusher(from: copy.peer.id, account: nil),
                    source: "push:copy")
            }
            let small = SyncOptions(pageLimit: 2, transport: SyncTestSupport.transport)
            let report = try await SyncTestSupport.sync(original, with: server.url, options: small)
            #expect(report.identityRecovery != nil)
            #expect(try hub.versionVector()[copy.peer.id] == Int64(copyPage.revisions.count) + (try copy.remote(named: "hub")?.knownVector[copy.peer.id] ?? 0))
            for store in [copy, other, original] { try await SyncTestSupport.sync(store, with: server.url) }
            let reader = try SyncTestSupport.newStore(author: "reader")
            try await SyncTestSupport.sync(reader, with: server.url)
            try Self.expectConverged([hub, original, copy, other, reader], notes: expected)
            await server.stop()
        } catch {
            await server.stop()
            throw error
        }
    }
}
