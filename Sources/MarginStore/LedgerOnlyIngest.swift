import GRDB
import MarginCore

/// Pushes to a store that is only served (`margin init --server`) keep the revision ledger and nothing else.
///
/// A server answers sync from its revisions and version vector alone, so a pushed page is checked exactly as any
/// other (hashes, counters, parents, kinds, signatures) and appended, and its records are left as they were: no
/// `record` row is written or moved. What the records need when the store is opened to be read (their heads, then
/// their values) is derived from the ledger then, for every record a revision at or after ``sinceKey`` touched.
///
/// The mark is written in the transaction of the first such page, with the sequence number that page's first
/// revision gets, and kept until every record touched since has its heads again: ``resolveChunk(limit:_:)`` gives
/// them heads a range of revisions at a time, each range one transaction that moves the mark on, so that a stop
/// anywhere is continued by the next call. While the mark is set, a record's heads are read from the ledger
/// (``heads(of:_:)``), so a local write made meanwhile names the revisions the server took as its parents.
enum LedgerOnlyIngest {
    /// The `store_info` key present while records touched by ledger-only pages wait for their heads; its value is
    /// the sequence number of the first revision such a page appended.
    static let sinceKey = "ledger_only_since"

    /// Marks the store before the first ledger-only page since it was last read appends its first revision.
    static func begin(_ db: Database) throws {
        // Kinds and heads are read by record: a store whose bulk load was stopped gets its indexes back first, and
        // the heads its pages staged are written into their records, before any is derived from the ledger.
        try BulkLoad.buildDeferredIndexes(db)
        try StagedHeads.fold(db)
        try db.execute(sql: """
            INSERT OR IGNORE INTO store_info (key, value)
            SELECT ?, CAST(COALESCE(MAX(seq), 0) + 1 AS TEXT) FROM revision
            """, arguments: [sinceKey])
    }

    /// The first sequence number whose record may lack its heads; nil when none does.
    static func since(_ db: Database) throws -> Int64? {
        try String.fetchOne(
            db.cachedStatement(sql: "SELECT value FROM store_info WHERE key = ?"), arguments: [sinceKey]
        ).flatMap { Int64($0) }
    }

    /// The kinds of those of `records` the store has a revision of, read in a few statements (see
    /// ``RecordLookup``), each given to `found`.
    static func kinds(of records: [String], _ db: Database, _ found: (RecordID, RecordKind) -> Void) throws {
        // Every revision of a record has the record's kind, so the first row found of each record says it.
        try RecordLookup.forEachRow(
            "WITH asked(record) AS (VALUES ",
            ") SELECT record, (SELECT kind FROM stored_revision WHERE record_id = asked.record LIMIT 1) FROM asked",
            placeholder: "(?)", ids: records, db
        ) { row in
            // No kind: the store has no revision of the record.
            if let kind: String = row[1] { found(RecordID(rawValue: row[0]), RecordKind(rawValue: kind)) }
        }
    }

    /// A record's heads as its revisions say: those no other revision of the record names as a parent (parents
    /// always belong to the same record), sorted.
    static func heads(of record: RecordID, _ db: Database) throws -> [RevisionID] {
        var ids: [RevisionID] = []
        var parents = Set<RevisionID>()
        let rows = try Row.fetchCursor(
            db.cachedStatement(sql: "SELECT id, parents FROM revision WHERE record_id = ?"), arguments: [record.rawValue])
        while let row = try rows.next() {
            ids.append(RevisionID(rawValue: row[0]))
            parents.formUnion(try ParentList.decode(row[1]))
        }
        return ids.filter { !parents.contains($0) }.sorted { $0.rawValue < $1.rawValue }
    }

    /// Gives heads to the records touched by the next `limit` revisions from the mark (written as a bulk load
    /// writes them: waiting to be materialized) and moves the mark past them, or removes it when it reaches the end
    /// of the ledger. Returns the number of records, or nil when nothing was marked.
    static func resolveChunk(limit: Int, _ db: Database) throws -> Int? {
        guard let since = try since(db) else { return nil }
        let end = since + Int64(limit)
        let rows = try Row.fetchAll(
            db, sql: "SELECT record_id, MIN(kind) FROM revision WHERE seq >= ? AND seq < ? GROUP BY record_id",
            arguments: [since, end])
        for row in rows {
            let record = RecordID(rawValue: row[0])
            try BulkLoad.noteHeads(of: record, kind: RecordKind(rawValue: row[1]), heads: try heads(of: record, db), db)
        }
        let last = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) FROM revision") ?? 0
        if end > last {
            try db.execute(sql: "DELETE FROM store_info WHERE key = ?", arguments: [sinceKey])
        } else {
            try db.execute(sql: "UPDATE store_info SET value = ? WHERE key = ?", arguments: [String(end), sinceKey])
        }
        return rows.count
    }
}
