import GRDB

/// Git-like short identities: one length for a whole listing, the shortest that keeps every identity a person can
/// type (reports and annotations) unambiguous, and never under four characters.
///
/// The length only ever grows (reports and annotations are never removed), so it is kept in `store_info` and raised
/// as identities arrive. Reading it costs one lookup instead of a scan of every identity; noting a new identity
/// costs one index probe (does any other identity share its first kept-length characters?), and only when one
/// does, a comparison with its neighbours in sorted order.
enum ShortIdentifiers {
    static let minimumLength = 4
    /// The shortest prefix a person may type for an identity: a unique prefix of two characters resolves.
    static let shortestPrefix = 2
    /// The `store_info` key of the kept length.
    static let storeKey = "short_id_length"

    /// The length for listings: the kept one, or (in a store that has none yet) the scanned one.
    static func length(_ db: Database) throws -> Int {
        if let kept = try keptLength(db) { return kept }
        return try scannedLength(db)
    }

    /// Computes the length from every identity: the longest common prefix of two neighbours in sorted order, plus one.
    static func scannedLength(_ db: Database) throws -> Int {
        let ids = try String.fetchAll(db, sql: "SELECT id FROM report UNION ALL SELECT id FROM annotation ORDER BY 1")
        var length = minimumLength
        for (previous, next) in zip(ids, ids.dropFirst()) {
            length = max(length, commonPrefixLength(previous, next) + 1)
        }
        return length
    }

    /// Raises the kept length, if needed, for report and annotation identities just inserted.
    static func noteNew(_ ids: [String], _ db: Database) throws {
        guard !ids.isEmpty else { return }
        var kept = try keptLength(db) ?? 0
        for id in ids {
            if kept >= minimumLength, try !sharesPrefix(id, length: kept, db) { continue }
            let needed = try neededLength(id, db)
            if needed > kept {
                kept = needed
                try keep(kept, db)
            }
        }
    }

    /// Whether another report or annotation identity starts with the first `length` characters of `id`.
    private static func sharesPrefix(_ id: String, length: Int, _ db: Database) throws -> Bool {
        let prefix = String(id.prefix(length))
        // Every string that starts with `prefix` sorts below `prefix` followed by the highest code point.
        return try db.cachedStatement(sql: """
                SELECT EXISTS (SELECT 1 FROM report WHERE id >= ?1 AND id < ?2 AND id != ?3)
                    OR EXISTS (SELECT 1 FROM annotation WHERE id >= ?1 AND id < ?2 AND id != ?3)
                """
        ).first([.text(prefix), .text(prefix + "\u{10FFFF}"), .text(id)]) { $0.integer(0) != 0 } ?? false
    }

    /// The length `id` needs to differ from its neighbours in sorted order.
    private static func neededLength(_ id: String, _ db: Database) throws -> Int {
        var common = 0
        for sql in neighbourQueries {
            if let neighbour = try String.fetchOne(db.cachedStatement(sql: sql), arguments: [id]) {
                common = max(common, commonPrefixLength(id, neighbour))
            }
        }
        return max(minimumLength, common + 1)
    }

    /// Stores `length` as the kept length.
    static func keep(_ length: Int, _ db: Database) throws {
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO store_info (key, value) VALUES (?, ?)")
            .execute(arguments: [storeKey, String(length)])
    }

    static func shorten(_ id: String, length: Int) -> String { String(id.prefix(length)) }

    private static let neighbourQueries = [
        "SELECT MAX(id) FROM report WHERE id < ?", "SELECT MIN(id) FROM report WHERE id > ?",
        "SELECT MAX(id) FROM annotation WHERE id < ?", "SELECT MIN(id) FROM annotation WHERE id > ?",
    ]

    private static func keptLength(_ db: Database) throws -> Int? {
        try String.fetchOne(
            db.cachedStatement(sql: "SELECT value FROM store_info WHERE key = ?"), arguments: [storeKey]
        ).flatMap { Int($0) }
    }

    private static func commonPrefixLength(_ lhs: String, _ rhs: String) -> Int {
        zip(lhs.utf8, rhs.utf8).prefix { $0 == $1 }.count
    }
}
