import GRDB
import MarginCore

extension MarginStore {
    /// The `store_info` key of a store made only to be served (`margin init --server`).
    static let servesOnlyKey = "serves_only"

    /// Makes this a store that is only served, not read by a person (`margin init --server`): pages pushed to it are
    /// checked and stored exactly as in any store, but only the revisions and the version vector are written (see
    /// ``LedgerOnlyIngest``); records' heads, notes and search entries are built the first time the store is opened
    /// to be read. A server keeps what the protocol needs, so pushes cost little more than storing the revisions.
    public func markServesOnly() throws {
        try write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO store_info (key, value) VALUES (?, '1')", arguments: [Self.servesOnlyKey])
        }
    }

    /// True for a store made only to be served (see ``markServesOnly()``).
    public func servesOnly() throws -> Bool {
        try read { db in try Self.servesOnly(db) }
    }

    static func servesOnly(_ db: Database) throws -> Bool {
        try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM store_info WHERE key = ?)"), arguments: [servesOnlyKey]
        ) ?? false
    }

    /// Builds what a person reads (notes, sections, search entries) for every record stored without it: after a bulk
    /// load that was stopped, or after pushes to a store that is only served. Does nothing when nothing waits or the
    /// store may only be read (its listings then leave those records out). Returns the records materialized.
    ///
    /// Meant to be called once, right after opening: whether anything waits was read as the store was opened, with
    /// its identity and through the same connection, so that a store with nothing waiting costs no query here.
    @discardableResult
    public func catchUpForReading() throws -> Int {
        guard !isReadOnly, materializationWaitedAtOpen else { return 0 }
        return try finishBulkLoad()
    }
}
