import Foundation
import GRDB
import Testing
@testable import MarginStore

/// A store opened on one connection (what each `margin` command but `serve` does) behaves as one opened on a pool.
@Suite("Stores on one connection")
struct StoreConnectionsTests {
    /// The connection's settings that the pool's connections also set.
    static func settings(_ store: MarginStore) throws -> [String: Int] {
        try store.read { db in
            var values: [String: Int] = [:]
            for pragma in ["synchronous", "foreign_keys", "cache_size", "mmap_size"] {
                values[pragma] = try Int.fetchOne(db, sql: "PRAGMA \(pragma)")
            }
            return values
        }
    }

    @Test func oneConnectionHasTheSettingsOfThePool() throws {
        let path = try StoreTestSupport.newStore().path
        let single = try MarginStore.open(at: path, connections: .single)
        #expect(try single.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") } == "wal")
        // A command that reads gets the pool readers' memory map and SQLite's default page cache.
        #expect(try Self.settings(single) == ["synchronous": 1, "foreign_keys": 1, "cache_size": -2_000, "mmap_size": 33_554_432])
        // A sync, which streams the history, gets the pool writer's page cache and no map.
        let streaming = try MarginStore.open(at: path, memoryMappedReads: false, connections: .single)
        #expect(try Self.settings(streaming) == [
            "synchronous": 1, "foreign_keys": 1, "cache_size": -BulkLoadSettings.usualCacheKiB, "mmap_size": 0,
        ])
    }

    @Test(arguments: [StoreConnections.pool, .single])
    func foreignKeysAreEnforcedOnEveryConnection(connections: StoreConnections) throws {
        let store = try MarginStore.open(at: try StoreTestSupport.newStore().path, connections: connections)
        #expect(try store.write { db in try Int.fetchOne(db, sql: "PRAGMA foreign_keys") } == 1)
        #expect(try store.read { db in try Int.fetchOne(db, sql: "PRAGMA foreign_keys") } == 1)
    }

    @Test func aStoreOnOneConnectionReadsAndWritesAsOnAPool() throws {
        let path = try StoreTestSupport.seededStore().path
        let single = try MarginStore.open(at: path, connections: .single)
        let section = try #require(try single.reports().first).shortID + "/1"
        let added = try single.addAnnotation(on: section, text: "一条批注 on one connection")
        try single.tag(section, with: ["重点"])
        let pool = try MarginStore.open(at: path, connections: .pool)
        #expect(try pool.section(section).annotations.map(\.id) == [added.id])
        #expect(try pool.section(section).tags == ["重点"])
        #expect(try pool.find(text: "一条批注").count == 1)
        #expect(try single.changeLog(limit: 1_000) == pool.changeLog(limit: 1_000))
        #expect(try single.integrityProblems().isEmpty)
    }

    @Test(arguments: [StoreConnections.pool, .single])
    func theReadAheadReadsBesideTheWriter(connections: StoreConnections) throws {
        let path = try StoreTestSupport.seededStore().path
        let store = try MarginStore.open(at: path, connections: connections)
        let section = try #require(try store.reports().first).shortID + "/1"
        let count = "SELECT COUNT(*) FROM record"
        try store.withConcurrentReader { (reader: any DatabaseReader) throws in
            let before = try reader.read { db in
                let before = try Int.fetchOne(db, sql: count) ?? 0
                // The writer commits while this read is open, which it could not do on the reader's connection;
                // the read keeps its snapshot.
                _ = try store.addAnnotation(on: section, text: "written while the read-ahead reads")
                #expect(try Int.fetchOne(db, sql: count) == before)
                return before
            }
            #expect(try reader.read { db in try Int.fetchOne(db, sql: count) } == before + 1)
        }
    }

    /// A sync records the database file's device and inode to notice a copied store; a store checked by an earlier
    /// version (which read them through Foundation's file attributes) must not be taken for a copy.
    @Test func theDatabaseFileIsIdentifiedAsEarlierVersionsRecordedIt() throws {
        let store = try StoreTestSupport.newStore()
        let attributes = try FileManager.default.attributesOfItem(
            atPath: (store.path as NSString).appendingPathComponent(MarginStore.databaseFileName))
        let device = try #require(attributes[.systemNumber])
        let inode = try #require(attributes[.systemFileNumber])
        #expect(store.databaseFileIdentity() == "\(device):\(inode)")
        try store.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO store_info (key, value) VALUES ('checked_database_file', ?)",
                arguments: ["\(device):\(inode)"])
        }
        #expect(try !store.mayBeACopy())
    }
}
