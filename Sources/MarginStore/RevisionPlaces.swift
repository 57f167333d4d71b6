import GRDB
import MarginCore
import Synchronization

/// Where each held revision is in the ledger (its `seq`), by identity, kept in memory while a bulk load leaves the
/// revision table without its index by identity (see ``BulkLoad``).
///
/// A page names parents by identity, and those it does not bring itself are looked up in the store. Without the
/// index, each such lookup would scan the table. This process's map answers them instead:
/// - it is filled from the table the first time it is needed, and before each page it reads the revisions appended
///   since (by any process: `seq` only grows, and rows are never deleted), so a miss means "not held". A page that
///   is rolled back leaves nothing to read;
/// - keys are the identity's first 128 bits. Each hit is checked against the stored identity. Should two held
///   revisions ever share a key, that key is looked up in the table instead, so the answer stays exact.
///
/// It is dropped when the load builds its indexes (``forget()``). For a million revisions it takes about 50 MB; a
/// history longer than ``limit`` gets its index back instead (see ``MarginStore/receive(_:proofs:from:source:remote:remoteVector:)``),
/// so that memory stays bounded whatever the server holds.
final class RevisionPlaces: Sendable {
    /// Revisions the map may hold before the index by identity is built instead: about 200 MB.
    static let defaultLimit = 4_000_000

    private let limitStorage = Mutex(RevisionPlaces.defaultLimit)

    /// Revisions the map may hold (tests lower it).
    var limit: Int {
        get { limitStorage.withLock { $0 } }
        set { limitStorage.withLock { $0 = newValue } }
    }

    /// Whether the map holds as many revisions as it may.
    var isFull: Bool {
        (count ?? 0) >= limit
    }

    /// The first 128 bits of a revision identity (64 lowercase hexadecimal digits).
    struct Key: Hashable {
        let high: UInt64
        let low: UInt64

        /// Nil for text that is not a revision identity; no held revision has such an identity.
        init?(_ id: RevisionID) {
            let utf8 = id.rawValue.utf8
            guard utf8.count == 64, let (high, low) = Self.leading128Bits(of: utf8) else { return nil }
            self.high = high
            self.low = low
        }

        /// The value of the first 32 lowercase hexadecimal digits of `utf8`, as two words; nil when it is shorter
        /// or one of them is not such a digit.
        static func leading128Bits(of utf8: String.UTF8View) -> (UInt64, UInt64)? {
            // A native string's bytes are read in place (a page's keys are millions of calls); any other is copied.
            if let bits = utf8.withContiguousStorageIfAvailable({ leading128Bits(of: $0) }) { return bits }
            return Array(utf8).withUnsafeBufferPointer { leading128Bits(of: $0) }
        }

        private static func leading128Bits(of bytes: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64)? {
            guard bytes.count >= 32 else { return nil }
            func word(_ start: Int) -> UInt64? {
                var value: UInt64 = 0
                for byte in bytes[start ..< start + 16] {
                    let digit: UInt8
                    switch byte {
                    case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte &- UInt8(ascii: "0")
                    case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte &- UInt8(ascii: "a") &+ 10
                    default: return nil
                    }
                    value = value << 4 | UInt64(digit)
                }
                return value
            }
            guard let high = word(0), let low = word(16) else { return nil }
            return (high, low)
        }

        /// The first 64 bits are already uniformly spread: one word to hash instead of two.
        func hash(into hasher: inout Hasher) {
            hasher.combine(high)
        }
    }

    /// The map itself.
    struct Places {
        /// Where the held revision with each key is (the first one read, should two share a key).
        var seqByKey: [Key: Int64] = [:]
        /// Keys that two held revisions share (never seen: it takes two hashes equal in their first 128 bits).
        var shared: Set<Key> = []
        /// The highest `seq` the map has read.
        var through: Int64 = 0

        /// Notes that the revision at `seq` has `key`.
        mutating func add(_ key: Key, seq: Int64) {
            if let held = seqByKey[key] {
                if held != seq { shared.insert(key) }
            } else {
                seqByKey[key] = seq
            }
            through = max(through, seq)
        }
    }

    private let places = Mutex<Places?>(nil)

    /// Brings the map up to date with the ledger (filling it the first time), before a page's parents are looked up.
    func catchUp(_ db: Database) throws {
        try places.withLock { places in
            // Changed in place: a copy of a million entries per page would cost more than the lookups.
            if places == nil { places = Places() }
            try Self.catchUp(&places!, db)
        }
    }

    /// Notes revisions a committed transaction appended at `seq`, after the map caught up in that transaction, so
    /// that the next ``catchUp(_:)`` need not read them back. Does nothing when the map is not filled (it reads
    /// them when it is). Another writer's rows committed before these were read by that catch-up; those committed
    /// after them have higher `seq`s, and the next catch-up reads them.
    func noteCommitted(_ revisions: [(id: RevisionID, seq: Int64)]) {
        guard !revisions.isEmpty else { return }
        places.withLock { places in
            guard places != nil else { return }
            for (id, seq) in revisions {
                if let key = Key(id) { places!.add(key, seq: seq) }
                places!.through = max(places!.through, seq)
            }
        }
    }

    /// What ``PageAdmission`` needs of the held revision `id`, or nil when the store does not hold it, as of the
    /// last ``catchUp(_:)`` (and the revisions the transaction appended since, which are never parents looked up).
    func parentFacts(of id: RevisionID, _ db: Database) throws -> PageAdmission.ParentFacts? {
        guard let key = Key(id) else { return nil }
        let (seq, shared) = places.withLock { places in (places?.seqByKey[key], places?.shared.contains(key) ?? false) }
        if shared { return try Self.parentFactsFromTable(of: id, db) }
        guard let seq else { return nil }
        return try Self.facts(
            db.cachedStatement(sql: "SELECT id, record_id, kind, clock FROM revision WHERE seq = ?"), [.integer(seq)], id)
    }

    /// What ``PageAdmission`` needs of the held revision `id`, read from the revision table by identity (through
    /// its index when it is there), or nil when the store does not hold it.
    static func parentFactsFromTable(of id: RevisionID, _ db: Database) throws -> PageAdmission.ParentFacts? {
        try facts(
            db.cachedStatement(sql: "SELECT id, record_id, kind, clock FROM revision WHERE id = ?"), [.text(id.rawValue)],
            id)
    }

    /// Drops the map (the index by identity is back).
    func forget() {
        places.withLock { $0 = nil }
    }

    /// How many revisions the map holds; nil when it is not filled.
    var count: Int? {
        places.withLock { $0?.seqByKey.count }
    }

    /// Reads the revisions appended since the map last looked.
    private static func catchUp(_ places: inout Places, _ db: Database) throws {
        let rows = try Row.fetchCursor(
            db.cachedStatement(sql: "SELECT seq, id FROM revision WHERE seq > ? ORDER BY seq"),
            arguments: [places.through])
        while let row = try rows.next() {
            let seq: Int64 = row[0]
            // Every held identity makes a key (see `Key`); were one not to, its revision could not be a parent.
            if let key = Key(RevisionID(rawValue: row[1])) { places.add(key, seq: seq) }
            places.through = max(places.through, seq)
        }
    }

    private static func facts(_ statement: Statement, _ arguments: [SQLiteValue], _ id: RevisionID) throws
        -> PageAdmission.ParentFacts?
    {
        try statement.first(arguments) { row -> PageAdmission.ParentFacts? in
            guard row.text(0) == id.rawValue else { return nil }
            return PageAdmission.ParentFacts(
                record: RecordID(rawValue: row.text(1) ?? ""), kind: RecordKind(rawValue: row.text(2) ?? ""),
                clock: row.integer(3))
        } ?? nil
    }
}
