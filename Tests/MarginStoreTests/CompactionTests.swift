import Foundation
import GRDB
import Testing
@testable import MarginCore
@testable import MarginStore

@Suite("Compacting a store gives back its free pages and changes nothing it holds")
struct CompactionTests {
    @Test("an upgraded store's free pages are given back, the file on disk shrinks, and it reads the same")
    func anUpgradedStoreShrinks() throws {
        let (path, section, _) = try PackedRevisionsMigrationTests.versionSeventeenStore(note: "压缩之前写的批注") { _ in }

        let store = try MarginStore.open(at: path)
        let read = { (store: MarginStore) in
            (
                try store.read { db in try Revision.fetchAll(db, sql: "SELECT * FROM revision ORDER BY seq") },
                try store.read { db in try String.fetchAll(db, sql: "SELECT id || text FROM section ORDER BY rowid") },
                try store.search(text: "教育", limit: 50).items, try store.notes().items
            )
        }
        let before = try read(store)
        let space = try store.fileSpace()
        #expect(space.freeBytes > 0, "the upgrade copied the revisions and left the old table's pages free")

        let (reported, after) = try store.compact()
        #expect(reported == space)
        #expect(after.freeBytes == 0)
        #expect(after.bytes <= space.bytes - space.freeBytes, "VACUUM also packs half-empty pages")
        let database = (path as NSString).appendingPathComponent(MarginStore.databaseFileName)
        let onDisk = try #require(try FileManager.default.attributesOfItem(atPath: database)[.size] as? Int64)
        #expect(onDisk == after.bytes, "the log was moved into the file and emptied")
        let log = try FileManager.default.attributesOfItem(atPath: database + "-wal")[.size] as? Int64
        #expect(log ?? 0 == 0)

        let again = try read(store)
        #expect(again.0 == before.0)
        #expect(again.1 == before.1)
        #expect(again.2 == before.2)
        #expect(again.3 == before.3)
        #expect(try store.integrityProblems().isEmpty)
        // It goes on writing, and another process opening it reads the same.
        _ = try store.addAnnotation(on: section, text: "压缩之后写的批注")
        #expect(try MarginStore.open(at: path).notes().items.count == before.3.count + 1)
    }

    @Test("a quarter of the file free, and a megabyte, is worth compacting; less is not")
    func worthCompacting() {
        #expect(StoreFileSpace(bytes: 8 << 20, freeBytes: 2 << 20).worthCompacting)
        #expect(!StoreFileSpace(bytes: 8 << 20, freeBytes: (2 << 20) - 1).worthCompacting)
        #expect(!StoreFileSpace(bytes: 2 << 20, freeBytes: (1 << 20) - 4096).worthCompacting)
        #expect(StoreFileSpace(bytes: 2 << 20, freeBytes: 1 << 20).worthCompacting)
    }
}
