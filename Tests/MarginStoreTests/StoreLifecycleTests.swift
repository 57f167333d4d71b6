import Foundation
import GRDB
import Testing
@testable import MarginStore

@Suite("Creating and opening stores")
struct StoreLifecycleTests {
    @Test func createThenOpenKeepsThePeerIdentity() throws {
        let path = StoreTestSupport.temporaryFolder()
        let created = try MarginStore.create(at: path, author: "王芳")
        let opened = try MarginStore.open(at: path)
        #expect(opened.peer == created.peer)
        #expect(opened.peer.author == "王芳")
    }

    @Test func openingAMissingStoreSaysHowToCreateOne() {
        #expect {
            try MarginStore.open(at: StoreTestSupport.temporaryFolder())
        } throws: { error in
            "\(error)".contains("margin init")
        }
    }

    @Test func creatingOverAnExistingStoreIsRefused() throws {
        let path = StoreTestSupport.temporaryFolder()
        _ = try MarginStore.create(at: path)
        #expect(throws: MarginStoreError.self) { try MarginStore.create(at: path) }
    }

    @Test func storeUsesWriteAheadLogging() throws {
        let store = try StoreTestSupport.newStore()
        let mode = try store.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
    }

    @Test func changeLogAndRevisionsRefuseUpdatesAndDeletes() throws {
        let store = try StoreTestSupport.seededStore()
        for sql in [
            "UPDATE change_log SET source = 'x'", "DELETE FROM change_log",
            "UPDATE revision SET body = '{}'", "UPDATE revision SET source = 'x'", "UPDATE revision SET seq = seq + 1",
            "DELETE FROM revision",
        ] {
            #expect(throws: (any Error).self) { try store.write { db in try db.execute(sql: sql) } }
        }
        #expect(try store.changeLog(limit: 100).count == 20)
    }

    @Test func aFailingWriteLeavesTheStoreExactlyAsItWas() throws {
        let store = try StoreTestSupport.seededStore()
        let section = try #require(try store.outline(of: try store.reports()[0].shortID).sections.last).reference
        struct Boom: Error {}
        #expect(throws: (any Error).self) {
            try store.write { db in
                _ = try RevisionLedger.appendLocal(
                    db, peer: store.peer, at: 0, record: .init(rawValue: "x"), kind: .tag,
                    body: #"{"present":true,"report":"r","section":"s","tag":"t"}"#)
                throw Boom()
            }
        }
        #expect(try store.changeLog(limit: 100).count == 20)
        #expect(try store.tagCounts().isEmpty)
        // And a failing command (a quote that is not there) writes nothing either.
        #expect(throws: MarginStoreError.self) { try store.addAnnotation(on: section, text: "n", quote: "不在文中的引文") }
        #expect(try store.changeLog(limit: 100).count == 20)
    }
}

@Suite("Where a store may be created")
struct FolderCheckPathTests {
    @Test("a one-character relative path is checked, not trapped on", arguments: ["a", "b/", "./c"])
    func shortRelativePaths(path: String) throws {
        try FolderCheck.checkCanCreate(path)
    }

    @Test("the parent of a path", arguments: [
        ("a", ""), ("a/b", "a"), ("/a", "/"), ("/", "/"), ("a//b/", "a"), ("/x/y/z", "/x/y"), ("./c", "."),
    ])
    func parentPath(path: String, parent: String) {
        #expect(FolderCheck.parentPath(of: path) == parent)
    }
}
