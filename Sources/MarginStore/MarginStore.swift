import Foundation
import GRDB
import MarginCore
import Synchronization

/// A Marginalia store: one SQLite database (WAL mode) in a folder, holding versioned records and their change log.
///
/// Every method that writes runs in one transaction: it either succeeds whole or leaves the store as it was.
///
/// ```swift
/// let store = try MarginStore.create(at: "notes.margin", author: "Li Wei")
/// let summary = try store.importReports(from: data, fileName: "report.txt")
/// ```
public final class MarginStore: Sendable {
    /// The folder that holds the store.
    public let path: String
    /// This store's own peer identity and author name. It changes only when the store learns that another writer
    /// used its identity (see ``recoverIdentity(sharedThrough:)``).
    public var peer: PeerIdentity { identity.withLock { $0 } }
    let identity: Mutex<PeerIdentity>
    /// Where the timestamps of this store's new revisions come from.
    public let clock: StoreClock
    /// True when this process may only read the store (it lacks write permission on its folder or file): reads
    /// work, and every write fails with ``MarginStoreError/Kind/readOnly(path:)`` before touching anything.
    public let isReadOnly: Bool
    let database: any DatabaseWriter
    /// True when, as the store was opened, records waited to be materialized (see ``catchUpForReading()``).
    let materializationWaitedAtOpen: Bool
    /// The store's signing key once read (see ``signingKey()``).
    let signingKeyCache = Mutex<SigningKey?>(nil)
    /// Where held revisions are, by identity, while a bulk load's pages come in (see ``RevisionPlaces``).
    let revisionPlaces = RevisionPlaces()
    /// Where each record's latest heads are, while a bulk load's pages stage them (see ``StagedHeads``).
    let stagedHeads = StagedHeads()
    /// Copies a bulk load's log into the database file beside the writer (see ``BulkCheckpointer``).
    let bulkCheckpointer: BulkCheckpointer

    /// The name of the SQLite file inside the store folder.
    public static let databaseFileName = "store.sqlite"

    private init(path: String, database: any DatabaseWriter, clock: StoreClock, isReadOnly: Bool = false) throws {
        self.path = path
        self.database = database
        self.clock = clock
        self.isReadOnly = isReadOnly
        self.bulkCheckpointer = BulkCheckpointer(
            databasePath: (path as NSString).appendingPathComponent(Self.databaseFileName))
        // Read through the writer's connection, which opening the store made already: a command that only writes
        // (annotate, tag) then never opens a reader connection (its own open, set-up and schema parse).
        let (identity, waiting) = try database.writeWithoutTransaction { db in
            (try PeerIdentity.fetch(db), try BulkLoad.isPending(db))
        }
        self.identity = Mutex(identity)
        self.materializationWaitedAtOpen = waiting
    }

    deinit {
        // A load that stopped part way (an error, a sync given up) leaves its checkpoints to the next one.
        bulkCheckpointer.stop()
    }

    /// Creates a new store with a new peer identity.
    ///
    /// - Parameters:
    ///   - peer: the peer identity; a random one by default (tests pass fixed ones to be reproducible).
    ///   - clock: where revision timestamps come from.
    /// - Throws: ``MarginStoreError`` when a store exists there already.
    public static func create(
        at path: String, author: String? = nil, peer: PeerID? = nil, clock: StoreClock = .system
    ) throws -> MarginStore {
        let fileManager = FileManager.default
        let databasePath = (path as NSString).appendingPathComponent(databaseFileName)
        if fileManager.fileExists(atPath: databasePath) { throw MarginStoreError(.storeExists(path: path)) }
        try FolderCheck.checkCanCreate(path)
        return try storeErrors {
            try fileManager.createDirectory(atPath: path, withIntermediateDirectories: true)
            let database = try openDatabase(at: databasePath)
            try database.write { db in
                try PeerIdentity(id: peer ?? .random(), author: author ?? defaultAuthor()).save(db)
            }
            let store = try MarginStore(path: path, database: database, clock: clock)
            let key = try StoreSigningKey.create(inStore: path)
            store.signingKeyCache.withLock { $0 = key }
            return store
        }
    }

    /// Opens an existing store, migrating its schema forward if needed.
    /// - Parameters:
    ///   - path: the store folder.
    ///   - clock: where revision timestamps come from.
    ///   - memoryMappedReads: read through a 32 MB memory map (the default), which spares a short-lived process
    ///     a system call per page it reads. A process that streams the whole history (a server, a sync) should
    ///     pass false: every page it maps stays in its resident memory.
    ///   - connections: a pool of readers beside the writer (the default), or one connection for everything, which
    ///     a command that runs once and exits opens faster (see ``StoreConnections``).
    ///
    /// A store this process may not write (no write permission on its folder or its database file) opens read-only:
    /// every read works, and a write fails with ``MarginStoreError/Kind/readOnly(path:)``.
    /// - Throws: ``MarginStoreError`` when there is no store at the path.
    public static func open(
        at path: String, clock: StoreClock = .system, memoryMappedReads: Bool = true,
        connections: StoreConnections = .pool
    ) throws -> MarginStore {
        let databasePath = (path as NSString).appendingPathComponent(databaseFileName)
        guard FileManager.default.fileExists(atPath: databasePath) else {
            throw MarginStoreError(.storeNotFound(path: path))
        }
        if access(path, W_OK) != 0 || access(databasePath, W_OK) != 0 {
            return try storeErrors {
                try MarginStore(
                    path: path, database: try ReadOnlyDatabase.open(at: databasePath, storePath: path), clock: clock,
                    isReadOnly: true)
            }
        }
        return try storeErrors {
            try MarginStore(
                path: path,
                database: connections == .pool
                    ? try openDatabase(at: databasePath, memoryMappedReads: memoryMappedReads)
                    : try openConnection(at: databasePath, memoryMappedReads: memoryMappedReads),
                clock: clock)
        }
    }

    static func openDatabase(at databasePath: String, memoryMappedReads: Bool = true) throws -> DatabasePool {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        // Foreign keys are switched on below, directly (see ``GRDB/Database/executeDirectly(_:)``), not by GRDB.
        configuration.foreignKeysEnabled = false
        configuration.prepareDatabase { db in
            try db.executeDirectly("PRAGMA foreign_keys = ON")
            try StoredBody.register(on: db)
            if db.configuration.readonly, memoryMappedReads {
                // Memory-mapped reads spare each short-lived `margin` process a read system call per index page.
                try db.executeDirectly("PRAGMA mmap_size = 33554432")
            } else if !db.configuration.readonly {
                // The one writer gets a 16 MB page cache (SQLite's default is 2 MB), so a large sync keeps its
                // revision and index pages in memory; readers keep the default, as a server has several.
                try db.executeDirectly("PRAGMA cache_size = -\(BulkLoadSettings.usualCacheKiB)")
            }
        }
        let pool = try DatabasePool(path: databasePath, configuration: configuration)
        try StoreSchema.migrator.migrate(pool)
        return pool
    }

    /// Opens the database on one connection (see ``StoreConnections/single``), with the settings the pool's
    /// connections get: WAL, `synchronous = NORMAL`, and either the memory map and SQLite's default page cache (as
    /// the pool's readers have them), or, for a process that streams the history, the writer's larger page cache.
    static func openConnection(at databasePath: String, memoryMappedReads: Bool) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        // Foreign keys are switched on below, directly (see ``GRDB/Database/executeDirectly(_:)``), not by GRDB.
        configuration.foreignKeysEnabled = false
        configuration.prepareDatabase { db in
            try db.executeDirectly("PRAGMA foreign_keys = ON")
            try StoredBody.register(on: db)
            // A store is made in WAL mode and the file keeps it, so this only checks it. (A pool also makes sure
            // that a log file exists for its readers, and one connection has no readers to need it.)
            guard try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") == "wal" else {
                throw DatabaseError(message: "could not use the write-ahead log of \(databasePath)")
            }
            try db.executeDirectly("PRAGMA synchronous = NORMAL")
            if memoryMappedReads {
                // A larger cache made reads that touch many pages slower: each page read past the map was copied
                // into newly allocated memory instead of into the pages of a small cache (`margin show` of a
                // report with many notes in a store of a million revisions: 24-25 ms of CPU with the default
                // cache, 39-42 ms with 16 MB).
                try db.executeDirectly("PRAGMA mmap_size = 33554432")
            } else {
                try db.executeDirectly("PRAGMA cache_size = -\(BulkLoadSettings.usualCacheKiB)")
            }
        }
        let queue = try DatabaseQueue(path: databasePath, configuration: configuration)
        try StoreSchema.migrator.migrate(queue)
        return queue
    }

    /// A connection that reads beside the writer for the length of `work`: the pool's own, or, for a store opened
    /// on one connection, a read-only connection opened for it and closed after.
    func withConcurrentReader<T>(_ work: (any DatabaseReader) throws -> T) throws -> T {
        if let pool = database as? DatabasePool { return try work(pool) }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in try StoredBody.register(on: db) }
        let reader = try storeErrors {
            try DatabaseQueue(
                path: (path as NSString).appendingPathComponent(Self.databaseFileName), configuration: configuration)
        }
        defer { try? reader.close() }
        return try work(reader)
    }

    static func defaultAuthor() -> String {
        let environment = ProcessInfo.processInfo.environment
        return environment["MARGIN_AUTHOR"] ?? environment["USER"] ?? "anonymous"
    }

    /// Runs a read-only block against a consistent snapshot of the store.
    func read<T>(_ block: (Database) throws -> T) throws -> T {
        try storeErrors { try database.read(block) }
    }

    /// Runs a block in one write transaction.
    func write<T>(_ block: (Database) throws -> T) throws -> T {
        if isReadOnly { throw MarginStoreError(.readOnly(path: path)) }
        return try storeErrors { try database.write(block) }
    }

    /// Checks the SQLite file's integrity (`PRAGMA integrity_check`); returns the problems found, or [] when sound.
    public func integrityProblems() throws -> [String] {
        try read { db in
            try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
        }
    }
}

/// Maps low-level failures to ``MarginStoreError`` so that callers meet one error type.
func storeErrors<T>(_ block: () throws -> T) throws -> T {
    do {
        return try block()
    } catch let error as MarginStoreError {
        throw error
    } catch let error as MarginCoreError {
        throw MarginStoreError(.core(error))
    } catch let error as DatabaseError {
        throw MarginStoreError(.database(error.message ?? error.description))
    } catch {
        throw MarginStoreError(.database("\(error)"))
    }
}
