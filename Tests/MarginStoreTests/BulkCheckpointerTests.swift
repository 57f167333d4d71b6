import Foundation
import GRDB
import Testing
@testable import MarginCore
@testable import MarginStore

/// A bulk load's log is copied into the database file on a thread and connection of its own (see
/// ``BulkCheckpointer``), while the load runs, and never after it.
@Suite("Checkpoints beside a bulk load")
struct BulkCheckpointerTests {
    static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
    }

    static func databasePath(_ store: MarginStore) -> String {
        (store.path as NSString).appendingPathComponent(MarginStore.databaseFileName)
    }

    @Test func committedPagesReachTheDatabaseFileWithoutTheWriterCheckpointing() throws {
        let store = try StoreTestSupport.newStore()
        let path = Self.databasePath(store)
        // About 300 pages of log, under the writer's own checkpoint threshold: only a checkpoint moves them.
        try store.write { db in
            try db.execute(sql: "CREATE TABLE scratch (blob BLOB)")
            for _ in 0..<300 { try db.execute(sql: "INSERT INTO scratch VALUES (randomblob(4000))") }
        }
        let before = Self.fileSize(path)
        #expect(Self.fileSize(path + "-wal") > 300 * 4_000, "the rows are in the log")

        let checkpointer = BulkCheckpointer(databasePath: path)
        checkpointer.start()
        checkpointer.start()
        #expect(checkpointer.isRunning)
        // Bounded wait for the thread's first checkpoint (it runs at once, then every second).
        for _ in 0..<400 where Self.fileSize(path) <= before { Thread.sleep(forTimeInterval: 0.025) }
        #expect(Self.fileSize(path) > before + 300 * 4_000, "the log's pages were copied into the database file")

        // The writer goes on meanwhile, and what it wrote stays readable.
        try store.write { db in try db.execute(sql: "INSERT INTO scratch VALUES (zeroblob(10))") }
        checkpointer.stop()
        checkpointer.stop()
        #expect(!checkpointer.isRunning)
        #expect(try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM scratch") } == 301)
    }

    @Test func aBulkLoadRunsItWhileItsPagesComeInAndStopsItBeforeEmptyingTheLog() throws {
        let history = try BulkLoadTests.history.get()
        let bulk = try StoreTestSupport.newStore(author: "bulk")
        #expect(!bulk.bulkCheckpointer.isRunning)
        let pages = history.pages(of: 50)
        try BulkLoadTests.receive(pages[0], into: bulk, history)
        #expect(try bulk.bulkLoadPending())
        #expect(bulk.bulkCheckpointer.isRunning, "started by the load's first page")
        for page in pages.dropFirst() { try BulkLoadTests.receive(page, into: bulk, history) }
        try bulk.finishBulkLoad()
        #expect(!bulk.bulkCheckpointer.isRunning)
        #expect(Self.fileSize(Self.databasePath(bulk) + "-wal") == 0, "the load's end emptied the log")
        #expect(try BulkLoadTests.state(bulk) == BulkLoadTests.state(BulkLoadTests.plainReplay(history)))

        // A store that receives page by page never starts it.
        let plain = try BulkLoadTests.plainReplay(history)
        #expect(!plain.bulkCheckpointer.isRunning)
    }

    /// A load's first page, in a store that is then let go; its checkpointer, kept.
    private static func checkpointerOfALoadLetGo() throws -> BulkCheckpointer {
        let history = try BulkLoadTests.history.get()
        let bulk = try StoreTestSupport.newStore(author: "bulk")
        try BulkLoadTests.receive(history.pages(of: 50)[0], into: bulk, history)
        #expect(bulk.bulkCheckpointer.isRunning)
        return bulk.bulkCheckpointer
    }

    @Test func aStoreLetGoInTheMiddleOfALoadStopsIt() throws {
        let checkpointer = try Self.checkpointerOfALoadLetGo()
        #expect(!checkpointer.isRunning, "stopped with its store, not left checkpointing a store nobody holds")
    }
}
