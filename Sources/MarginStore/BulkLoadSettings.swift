import GRDB

/// The writer connection's SQLite settings while a bulk load (see ``BulkLoad``) writes, and after.
///
/// A long pull inserts revisions under keys that are hashes, so every page lands on leaf pages all over the
/// revision identity index and the record table. With the writer's usual 16 MB page cache, most of those pages were
/// read back from the file at each page, and with the usual checkpoint every 1,000 pages of log, each commit's
/// pages were also copied into the database file at once, only to be changed again by the next page. While a load
/// writes, the log is checkpointed every 50,000 pages (about 200 MB), so that a page changed by many commits is
/// copied once per checkpoint, and the cache grows with the load: 64 bytes per revision, from the usual 16 MiB (up
/// to 256,000 revisions, so that a smaller pull keeps its memory) to 64 MiB (a million revisions and more).
/// Measured on a first pull of 1,000,020 revisions, three runs of each in turn: 145–158 s before (median 151 s),
/// 116–144 s with a 64 MiB cache and these checkpoints (median 124 s; the rule above gives that pull 61 MiB), system
/// time halved (31 s to 15 s); the process's peak memory goes from 85 MB to about 175 MB.
///
/// The settings belong to the connection, not to the file: a process that stops during a load leaves nothing set,
/// and the next one to continue the load sets them again. Nothing here changes what is durable: every commit is
/// in the log before it returns, as before.
enum BulkLoadSettings {
    /// The largest page cache a load gets, in KiB (64 MiB).
    static let largestLoadCacheKiB = 65_536
    /// The writer's page cache otherwise, in KiB (16 MiB), as ``MarginStore`` opens it.
    static let usualCacheKiB = 16_384
    /// Page cache per revision of a load, in bytes.
    static let cacheBytesPerRevision: Int64 = 64
    /// Log pages between automatic checkpoints while a load writes.
    static let loadCheckpointPages = 50_000
    /// Log pages between automatic checkpoints otherwise (SQLite's default).
    static let usualCheckpointPages = 1_000

    /// The page cache for a load that brings the store to `revisions` revisions, in KiB.
    static func loadCacheKiB(forRevisions revisions: Int64) -> Int {
        // Bounded before multiplying: the count comes from a server and may be as large as an Int64.
        let bounded = min(revisions, Int64(largestLoadCacheKiB) * 1024 / cacheBytesPerRevision)
        return Int(min(max(bounded * cacheBytesPerRevision / 1024, Int64(usualCacheKiB)), Int64(largestLoadCacheKiB)))
    }

    /// Gives the connection the settings of a load that brings the store to `revisions` revisions (the server's
    /// count, or the store's own when it holds more). Cheap enough to call for every page.
    static func apply(forRevisions revisions: Int64, _ db: Database) throws {
        let held = try Int64.fetchOne(db.cachedStatement(sql: "SELECT COALESCE(MAX(seq), 0) FROM revision")) ?? 0
        try db.execute(sql: "PRAGMA cache_size = -\(loadCacheKiB(forRevisions: max(revisions, held)))")
        try db.execute(sql: "PRAGMA wal_autocheckpoint = \(loadCheckpointPages)")
    }

    /// Gives the connection back its usual settings.
    static func restore(_ db: Database) throws {
        try db.execute(sql: "PRAGMA cache_size = -\(usualCacheKiB)")
        try db.execute(sql: "PRAGMA wal_autocheckpoint = \(usualCheckpointPages)")
    }

    /// Copies the log into the database file and empties it, outside any transaction, so that a finished load does
    /// not leave a log of up to ``loadCheckpointPages`` pages on disk. A reader holding an old snapshot can make the
    /// checkpoint stop short; the log is then emptied by a later checkpoint, and nothing is lost either way, so that
    /// case is not an error.
    static func emptyLog(_ db: Database) {
        _ = try? db.checkpoint(.truncate)
    }
}
