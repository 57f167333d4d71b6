import Foundation
import GRDB
import Testing
@testable import MarginCore
@testable import MarginStore
import ReportParser

@Suite("Signatures: a store from before them computes its chains and signs its own history")
struct SignatureMigrationTests {
    typealias F = ReportIdentityFixtures
    private static let peer = PeerID(rawValue: "00000000000000a1")
    private static let other = PeerID(rawValue: "00000000000000b2")

    @Test func anOldStoreSignsItsOwnRevisionsAndKeepsOthersUnsigned() throws {
        let folder = StoreTestSupport.temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let queue = try DatabaseQueue(path: (folder as NSString).appendingPathComponent(MarginStore.databaseFileName))
        try StoreSchema.migrator.migrate(queue, upTo: "v14-search-indexes-keep-no-copy-of-the-text")
        let east = try ReportParser.parse(text: F.east, fileName: "old.txt")[0]
        let west = try ReportParser.parse(text: F.west, fileName: "west.txt")[0]
        try queue.write { db in
            try PeerIdentity(id: Self.peer, author: "甲").save(db)
            try ReportSourceMigrationTests.insert(east, id: Identity.report(title: F.title), source: nil, origin: Self.peer, counter: 1, db)
            try ReportSourceMigrationTests.insert(
                west, id: Identity.report(file: "west.txt", title: F.title), source: nil, origin: Self.other, counter: 1, db)
        }
        try queue.close()
        #expect(!FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent("signing-key")))

        let store = try MarginStore.open(at: folder)
        let revisions = try store.revisions(missingFrom: [:], limit: 100, maxBytes: .max) { _ in 1 }
        #expect(revisions.proofs.isEmpty, "nothing is signed before the store signs")
        // The migration computed each origin's chain from what it holds.
        for origin in [Self.peer, Self.other] {
            let ids = revisions.revisions.filter { $0.origin == origin }.map(\.id)
            let head = try store.read { db in try OriginChains.head(of: origin, db) }
            #expect(head.counter == 1 && head.chain == RevisionChain.start(of: origin).appending(contentsOf: ids))
        }
        #expect(try store.changeLog().allSatisfy { $0.signer.status == ($0.origin == Self.peer ? .thisStore : .unsigned) })

        // Its first sync signs its own history (making its key); the other origin's revision stays unsigned.
        #expect(try store.signOwnRevisions() == 1)
        let key = (folder as NSString).appendingPathComponent("signing-key")
        #expect((try FileManager.default.attributesOfItem(atPath: key)[.posixPermissions] as? Int) == 0o600)
        let signed = try store.revisions(missingFrom: [:], limit: 100, maxBytes: .max) { _ in 1 }
        #expect(signed.proofs.map(\.origin) == [Self.peer])

        // A server takes the store's own revision, and refuses the unsigned one of the other origin; a client may
        // take both from its server (the other as unsigned).
        let server = try MarginStore.create(at: StoreTestSupport.temporaryFolder(), author: "server")
        let own = signed.revisions.filter { $0.origin == Self.peer }
        #expect(try server.receive(own, proofs: signed.proofs, from: .pusher(from: Self.peer, account: "甲"), source: "push").accepted == 1)
        #expect(throws: MarginStoreError.self) {
            try server.receive(signed.revisions, proofs: signed.proofs, from: .pusher(from: Self.peer, account: "甲"), source: "push")
        }
        let client = try MarginStore.create(at: StoreTestSupport.temporaryFolder(), author: "client")
        #expect(try client.receive(signed.revisions, proofs: signed.proofs, source: "pull:hub").accepted == 2)
        let statuses = Dictionary(uniqueKeysWithValues: try client.changeLog().map { ($0.origin, $0.signer.status) })
        #expect(statuses == [Self.peer: .verified, Self.other: .unsigned])
        #expect(try store.integrityProblems().isEmpty)
    }
}
