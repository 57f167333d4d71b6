import GRDB
import MarginCore
import Synchronization

/// The heads a bulk load's pages give their records (see ``BulkLoad``), appended to `bulk_record_heads` instead of
/// written into `record`, with where each record's latest heads are kept in memory.
///
/// Record identities are hashes, so a page's touched records fall all over the `record` table and its index by
/// identity: written page by page, each commit rewrote most of their leaves (a first pull of a million revisions
/// wrote 3 GB while its pages came in). Appended instead, a page's heads take a few new pages at the end of one
/// table, and ``fold(_:)`` writes each record's latest into `record` once, in one transaction, when the pages are in
/// (``MarginStore/finishBulkLoad()``), or sooner when the map is full.
///
/// A page needs the heads it moves, so this process's map says which row holds each staged record's latest:
/// - it is filled from the table the first time it is needed, and before each page it reads the rows appended
///   since (by any process: `seq` only grows, `AUTOINCREMENT` never reuses one, and a page rolled back leaves
///   nothing to read);
/// - a record it does not name has no staged heads, and is looked up in `record` (empty while a load's first pages
///   come in, and where a fold puts every staged record);
/// - a named row that is gone was folded by another process: its record is in `record` too.
///
/// The key of an identity of 32 hexadecimal digits (every identity this project makes) is its 128 bits, exact; any
/// other is kept as text. The first pull of 1,000,020 revisions (600,860 records) peaked 43 MB higher with the map:
/// about 70 bytes per record.
final class StagedHeads: Sendable {
    /// Records the map may name before the staged heads are folded into `record` (about 70 MB).
    static let defaultLimit = 1_000_000

    private let limitStorage = Mutex(StagedHeads.defaultLimit)

    /// Records the map may name (tests lower it).
    var limit: Int {
        get { limitStorage.withLock { $0 } }
        set { limitStorage.withLock { $0 = newValue } }
    }

    /// Whether the map names as many records as it may.
    var isFull: Bool {
        (count ?? 0) >= limit
    }

    /// A record identity as the map keys it.
    enum Key: Hashable {
        case hexadecimal(UInt64, UInt64)
        case text(String)

        init(_ record: RecordID) {
            let utf8 = record.rawValue.utf8
            if utf8.count == 32, let (high, low) = RevisionPlaces.Key.leading128Bits(of: utf8) {
                self = .hexadecimal(high, low)
            } else {
                self = .text(record.rawValue)
            }
        }
    }

    /// The map itself: the row of each staged record's latest heads, and the highest row read.
    private struct Rows {
        var latest: [Key: Int64] = [:]
        var through: Int64 = 0
    }

    private let rows = Mutex<Rows?>(nil)

    /// Brings the map up to date with the table (filling it the first time), before a page's records are looked up.
    func catchUp(_ db: Database) throws {
        try rows.withLock { rows in
            // Changed in place: a copy of a map this large per page would cost more than the page.
            if rows == nil { rows = Rows() }
            let cursor = try Row.fetchCursor(
                db.cachedStatement(sql: "SELECT seq, record_id FROM bulk_record_heads WHERE seq > ? ORDER BY seq"),
                arguments: [rows!.through])
            while let row = try cursor.next() {
                let seq: Int64 = row[0]
                rows!.latest[Key(RecordID(rawValue: row[1]))] = seq
                rows!.through = seq
            }
        }
    }

    /// Notes heads a committed transaction staged, in row `row` for `record`, after the map caught up in that
    /// transaction, so that the next ``catchUp(_:)`` need not read them back. Does nothing when the map is not
    /// filled. A record keeps its highest row: a transaction committed later may have noted its rows first.
    func noteCommitted(_ staged: [(record: RecordID, row: Int64)]) {
        guard !staged.isEmpty else { return }
        rows.withLock { rows in
            guard rows != nil else { return }
            for (record, row) in staged {
                let key = Key(record)
                rows!.latest[key] = max(rows!.latest[key] ?? 0, row)
                rows!.through = max(rows!.through, row)
            }
        }
    }

    /// The kind and latest staged heads of `record`, as of the last ``catchUp(_:)``; nil when it has none staged.
    func held(_ record: RecordID, _ db: Database) throws -> (kind: RecordKind, heads: [RevisionID])? {
        guard let seq = rows.withLock({ $0?.latest[Key(record)] }) else { return nil }
        return try db.cachedStatement(sql: "SELECT record_id, kind, heads FROM bulk_record_heads WHERE seq = ?")
            .first([.integer(seq)]) { row -> (kind: RecordKind, heads: [RevisionID])? in
                guard row.text(0) == record.rawValue else { return nil }
                return (RecordKind(rawValue: row.text(1) ?? ""), try ParentList.decode(row.text(2) ?? "[]"))
            } ?? nil
    }

    /// Drops the map (after a fold, or to be read again from the table).
    func forget() {
        rows.withLock { $0 = nil }
    }

    /// How many records the map names; nil when it is not filled.
    var count: Int? {
        rows.withLock { $0?.latest.count }
    }

    /// Appends records' kinds and heads after a page of a bulk load, several to a statement (see
    /// ``MultiRowInsert``); returns the row each got. The records must be distinct.
    static func stage(
        _ records: [(record: RecordID, kind: RecordKind, heads: [RevisionID])], _ db: Database
    ) throws -> [Int64] {
        try staging.insert(
            records.map { record, kind, heads in
                [
                    .text(record.rawValue), .text(kind.rawValue), .integer(Int64(heads.count)),
                    .text(ParentList.encode(heads.sorted { $0.rawValue < $1.rawValue })),
                ]
            }, db)
    }

    /// Appends rows to `bulk_record_heads` several at a time, told apart by record.
    private static let staging = MultiRowInsert(
        into: "bulk_record_heads", columns: ["record_id", "kind", "head_count", "heads"], rowid: "seq", key: "record_id")

    /// Writes each staged record's latest heads into `record`, as waiting to be materialized (exactly as
    /// ``BulkLoad/noteHeads(of:kind:heads:_:)`` would have, page by page), and empties the table. Returns the
    /// number of records written.
    ///
    /// New rows come in identity order. Materializing follows the rows' order, so the notes' rows and every index
    /// by record identity then grow at their ends: the first pull of a million revisions was ready in 45–48 s this
    /// way, and in 55–61 s with the rows in the order the pages first staged them (the log's order).
    @discardableResult
    static func fold(_ db: Database) throws -> Int {
        // One min() or max() in an aggregate makes SQLite take the bare columns from that row: the latest one.
        try db.execute(sql: """
            INSERT INTO record (id, kind, current_revision, head_count, conflicted, heads)
            SELECT record_id, kind, ?, head_count, 0, heads FROM (
                SELECT record_id, kind, head_count, heads, MAX(seq) FROM bulk_record_heads GROUP BY record_id
            ) WHERE true ORDER BY record_id
            ON CONFLICT(id) DO UPDATE SET current_revision = excluded.current_revision,
                head_count = excluded.head_count, heads = excluded.heads
            """, arguments: [BulkLoad.unmaterialized])
        let folded = db.changesCount
        try db.execute(sql: "DELETE FROM bulk_record_heads")
        return folded
    }

    /// Whether some heads wait in the table for a fold.
    static func anyStaged(_ db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM bulk_record_heads)") ?? false
    }
}
