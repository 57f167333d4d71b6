import Foundation
import GRDB
import MarginCore

/// Appends revisions to the store: the revision itself (whose `seq` is its place in the change log), the version
/// vector, and the record's heads and materialized current value. Every revision enters through
/// ``insert(_:source:_:)``: local ones one at a time through ``appendLocal(_:peer:at:record:kind:body:)``, received
/// ones a page at a time through ``PageIngest``.
///
/// Every statement is a cached, prepared statement, and the common case (a record with one head) never reloads
/// the heads.
enum RevisionLedger {
    /// Where a revision came from, as written in the change log.
    static let localSource = "local"

    /// Makes and appends a new local revision of a record, superseding its current heads.
    static func appendLocal(
        _ db: Database, peer: PeerIdentity, at createdAt: Int64, record: RecordID, kind: RecordKind, body: String
    ) throws -> Revision {
        // Said in a person's terms before anything else: the largest revision any peer accepts (and every server
        // must admit), so that no note can be written that would wedge a later sync.
        guard body.utf8.count <= RevisionLimits.maximumBodyBytes else {
            throw MarginStoreError(.tooLarge(bytes: body.utf8.count, limit: RevisionLimits.maximumBodyBytes))
        }
        let parents = try heads(of: record, db)
        let counter = try nextCounter(for: peer.id, db)
        let clock = try nextClock(parents: parents, db)
        let revision = Revision(
            record: record, kind: kind, parents: parents, origin: peer.id, counter: counter, clock: clock,
            author: peer.author, createdAt: createdAt, body: body)
        // A local write passes the same rules as a received one, so that no peer ever refuses it.
        try storeErrors { try revision.verify() }
        let chain = try OriginChains.head(of: peer.id, db).chain.appending(revision.id)
        try append(revision, source: localSource, db)
        try advanceVector(origin: peer.id, counter: counter, clock: clock, chain: chain, db)
        return revision
    }

    /// Appends a local revision: stores it and makes it its record's current value. A local revision names all of
    /// its record's heads as parents, so it is the record's only head: nothing to merge.
    private static func append(_ revision: Revision, source: String, _ db: Database) throws {
        try insert(revision, source: source, db)
        try Materializer.refresh(revision, db)
    }

    /// Stores a revision at the end of the change log, saying where it came from (`source`) and when it was learnt;
    /// heads and materialized values are the caller's business. A long body is kept packed (``StoredBody``).
    static func insert(_ revision: Revision, source: String, _ db: Database) throws {
        try db.cachedStatement(sql: appending.statement(rows: 1))
            .run(row(of: revision, source: source, loggedAt: nowMilliseconds()))
    }

    /// Stores revisions at the end of the change log, in order, as ``insert(_:source:_:)`` does one, with few
    /// statements (see ``MultiRowInsert``); returns the `seq` each got. The revisions must be distinct.
    static func insert(_ revisions: [Revision], source: String, _ db: Database) throws -> [Int64] {
        let loggedAt = nowMilliseconds()
        return try appending.insert(revisions.map { row(of: $0, source: source, loggedAt: loggedAt) }, db)
    }

    /// Appends rows to `stored_revision`, one or several at a time, told apart by identity.
    private static let appending = MultiRowInsert(
        into: "stored_revision",
        columns: [
            "id", "record_id", "kind", "parents", "origin", "counter", "clock", "author", "created_at", "body",
            "source", "logged_at",
        ],
        rowid: "seq", key: "id")

    /// A revision's values in `stored_revision`, in the order of its columns above.
    private static func row(of revision: Revision, source: String, loggedAt: Int64) -> [SQLiteValue] {
        [
            .text(revision.id.rawValue), .text(revision.record.rawValue), .text(revision.kind.rawValue),
            .text(ParentList.encode(revision.parents)), .text(revision.origin.rawValue), .integer(revision.counter),
            .integer(revision.clock), .text(revision.author), .integer(revision.createdAt),
            StoredBody.value(of: revision.body), .text(source), .integer(loggedAt),
        ]
    }

    /// Records that the store now holds `origin`'s revisions up to `counter`, whose chain there is `chain`, and a
    /// revision with Lamport clock `clock`: the version vector (`sync_vector`), which sync reads in O(origins).
    static func advanceVector(origin: PeerID, counter: Int64, clock: Int64, chain: RevisionChain, _ db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO sync_vector (origin, counter, clock, chain) VALUES (?, ?, ?, ?)
            ON CONFLICT(origin) DO UPDATE SET counter = MAX(counter, excluded.counter), clock = MAX(clock, excluded.clock),
                chain = CASE WHEN excluded.counter >= counter THEN excluded.chain ELSE chain END
            """
        ).execute(arguments: [origin.rawValue, counter, clock, Data(chain.bytes)])
    }

    /// The current heads of a record, sorted; none for a record the store does not hold. While pushes to a store
    /// that is only served wait to be read (see ``LedgerOnlyIngest``), they are read from the ledger; while a bulk
    /// load's pages have staged the record's heads (see ``StagedHeads``), the latest staged are.
    static func heads(of record: RecordID, _ db: Database) throws -> [RevisionID] {
        if try LedgerOnlyIngest.since(db) != nil { return try LedgerOnlyIngest.heads(of: record, db) }
        // The table is empty but during a bulk load, which a store's reader finishes before it writes: this scan
        // finds nothing at once, save in a store written to in the middle of a load.
        if let staged = try String.fetchOne(
            db.cachedStatement(sql: "SELECT heads FROM bulk_record_heads WHERE record_id = ? ORDER BY seq DESC LIMIT 1"),
            arguments: [record.rawValue])
        {
            return try ParentList.decode(staged)
        }
        guard let heads = try String.fetchOne(
            db.cachedStatement(sql: "SELECT heads FROM record WHERE id = ?"), arguments: [record.rawValue])
        else { return [] }
        return try ParentList.decode(heads)
    }

    /// The head revisions of a record, fully loaded.
    static func headRevisions(of record: RecordID, _ db: Database) throws -> [Revision] {
        try revisions(try heads(of: record, db), db)
    }

    /// The revisions with these ids, fully loaded, in the same order.
    static func revisions(_ ids: [RevisionID], _ db: Database) throws -> [Revision] {
        let statement = try db.cachedStatement(sql: "SELECT * FROM revision WHERE id = ?")
        return try ids.map { id in
            guard let row = try Row.fetchOne(statement, arguments: [id.rawValue]) else {
                throw MarginStoreError(.database("revision \(id) is a head but is not stored"))
            }
            return try Revision(row: row)
        }
    }

    /// The Lamport clock of a new local revision: one more than the highest clock held. Should a received revision
    /// have pushed that to the top of the range (2^53 − 1, which honest peers never reach), one more than the
    /// highest parent's clock keeps every record it did not touch writable.
    static func nextClock(parents: [RevisionID], _ db: Database) throws -> Int64 {
        let highest = try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(clock) FROM sync_vector")) ?? 0
        if highest < RevisionLimits.maximumInteger { return highest + 1 }
        let parentClock = try parents.map { parent in
            try Int64.fetchOne(db.cachedStatement(sql: "SELECT clock FROM revision WHERE id = ?"), arguments: [parent.rawValue]) ?? 0
        }.max() ?? 0
        guard parentClock < RevisionLimits.maximumInteger else {
            throw MarginStoreError(.clockExhausted)
        }
        return parentClock + 1
    }

    static func nextCounter(for peer: PeerID, _ db: Database) throws -> Int64 {
        try (Int64.fetchOne(
            db.cachedStatement(sql: "SELECT MAX(counter) FROM revision WHERE origin = ?"), arguments: [peer.rawValue]) ?? 0) + 1
    }

    static func nowMilliseconds() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded())
    }
}

/// The `parents` column of a revision and the `heads` column of a record: a JSON array of revision ids (lowercase
/// hex, so no escaping is ever needed).
/// Written and read by hand because JSON coding is measurable on the sync hot path.
enum ParentList {
    static func encode(_ parents: [RevisionID]) -> String {
        "[" + parents.map { "\"\($0.rawValue)\"" }.joined(separator: ",") + "]"
    }

    /// Reads the list byte by byte (it is read for every record a page touches); throws for anything but
    /// `[]` or `["…","…"]`.
    static func decode(_ text: String) throws -> [RevisionID] {
        var text = text
        let ids = text.withUTF8 { bytes -> [RevisionID]? in
            let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ",")
            guard bytes.count >= 2, bytes.first == UInt8(ascii: "["), bytes.last == UInt8(ascii: "]") else { return nil }
            var ids: [RevisionID] = []
            var index = 1
            let end = bytes.count - 1
            while index < end {
                if !ids.isEmpty {
                    guard bytes[index] == comma else { return nil }
                    index += 1
                }
                guard index < end, bytes[index] == quote else { return nil }
                let start = index + 1
                guard let close = bytes[start..<end].firstIndex(of: quote) else { return nil }
                ids.append(RevisionID(rawValue: String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<close]), as: UTF8.self)))
                index = close + 1
            }
            return ids
        }
        guard let ids else { throw MarginStoreError(.database("malformed parents \(text)")) }
        return ids
    }
}

extension Revision {
    /// Decodes a revision from a `revision` table row (any selection that has the revision's columns).
    ///
    /// The columns are found in one pass over the row's names: a lookup by name compares it, case-insensitively,
    /// with every column's name, which made decoding rows a measurable part of pulls and materialization.
    init(row: Row) throws {
        var at = [Int](repeating: -1, count: 10)
        for (index, name) in row.columnNames.enumerated() {
            switch name {
            case "id": at[0] = index
            case "record_id": at[1] = index
            case "kind": at[2] = index
            case "parents": at[3] = index
            case "origin": at[4] = index
            case "counter": at[5] = index
            case "clock": at[6] = index
            case "author": at[7] = index
            case "created_at": at[8] = index
            case "body": at[9] = index
            default: continue
            }
        }
        guard !at.contains(-1) else {
            throw MarginStoreError(.database("a revision row lacks columns: it has \(Array(row.columnNames))"))
        }
        self.init(
            id: RevisionID(rawValue: row[at[0]]), record: RecordID(rawValue: row[at[1]]),
            kind: RecordKind(rawValue: row[at[2]]), parents: try ParentList.decode(row[at[3]]),
            origin: PeerID(rawValue: row[at[4]]), counter: row[at[5]], clock: row[at[6]], author: row[at[7]],
            createdAt: row[at[8]], body: row[at[9]])
    }

    /// The columns ``init(_:)`` reads, in its order, for a `SELECT` from `revision`.
    static let directColumns = "id, record_id, kind, parents, origin, counter, clock, author, created_at, body"

    /// Decodes a revision from a row whose first columns are ``directColumns``, read through the SQLite C API
    /// (fetching GRDB rows and decoding them was a fifth of the CPU of a client pushing 2,000 notes).
    init(_ row: SQLiteRow) throws {
        self.init(
            id: RevisionID(rawValue: row.text(0) ?? ""), record: RecordID(rawValue: row.text(1) ?? ""),
            kind: RecordKind(rawValue: row.text(2) ?? ""), parents: try ParentList.decode(row.text(3) ?? ""),
            origin: PeerID(rawValue: row.text(4) ?? ""), counter: row.integer(5), clock: row.integer(6),
            author: row.text(7) ?? "", createdAt: row.integer(8), body: row.text(9) ?? "")
    }

    static func fetchAll(_ db: Database, sql: String, arguments: StatementArguments = StatementArguments()) throws -> [Revision] {
        try Row.fetchAll(db, sql: sql, arguments: arguments).map(Revision.init(row:))
    }
}
