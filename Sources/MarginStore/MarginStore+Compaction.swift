import GRDB

/// The size of a store's database file, and how much of it is free pages: space SQLite keeps for later writes
/// instead of giving it back, left by an upgrade that rewrote a table (schema v18 packs revision bodies into a new
/// one) or by indexes rewritten since.
public struct StoreFileSpace: Sendable, Equatable, Encodable {
    /// The database's size: its pages, free ones included.
    public var bytes: Int64
    /// The bytes of free pages among them.
    public var freeBytes: Int64

    /// Whether ``MarginStore/compact()`` would give back enough to be worth saying: a quarter of the file, and at
    /// least a megabyte.
    public var worthCompacting: Bool { freeBytes >= 1 << 20 && freeBytes * 4 >= bytes }
}

extension MarginStore {
    /// The size of the database and its free pages.
    public func fileSpace() throws -> StoreFileSpace {
        try read { db in try Self.fileSpace(db) }
    }

    static func fileSpace(_ db: Database) throws -> StoreFileSpace {
        let pageSize = try Int64.fetchOne(db, sql: "PRAGMA page_size") ?? 0
        let pages = try Int64.fetchOne(db, sql: "PRAGMA page_count") ?? 0
        let free = try Int64.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0
        return StoreFileSpace(bytes: pages * pageSize, freeBytes: free * pageSize)
    }

    /// Rewrites the database without its free pages (SQLite's `VACUUM`), then moves the write-ahead log into it
    /// and empties the log, so the file on disk shrinks. Everything the store holds stays as it was; rows keep
    /// their places where anything refers to them (revisions, sections, notes and index entries have explicit
    /// row numbers). Needs free disk space for a copy of the store, and waits for, then holds, the store's write
    /// lock: another process writing meanwhile (a `margin serve` receiving a push) makes it fail after the busy
    /// timeout, changing nothing.
    /// - Returns: the file's space before and after.
    public func compact() throws -> (before: StoreFileSpace, after: StoreFileSpace) {
        if isReadOnly { throw MarginStoreError(.readOnly(path: path)) }
        return try storeErrors {
            try database.writeWithoutTransaction { db in
                let before = try Self.fileSpace(db)
                try db.execute(sql: "VACUUM")
                try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
                return (before, try Self.fileSpace(db))
            }
        }
    }
}
