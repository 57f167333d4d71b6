import GRDB

/// Git-like short identities: one length for a whole listing, the shortest that keeps every identity a person can
/// type (reports and annotations) unambiguous, and never under four characters.
enum ShortIdentifiers {
    static let minimumLength = 4

    static func length(_ db: Database) throws -> Int {
        let ids = try String.fetchAll(db, sql: "SELECT id FROM report UNION ALL SELECT id FROM annotation ORDER BY 1")
        var length = minimumLength
        for (previous, next) in zip(ids, ids.dropFirst()) {
            let common = zip(previous, next).prefix { $0 == $1 }.count
            length = max(length, common + 1)
        }
        return length
    }

    static func shorten(_ id: String, length: Int) -> String { String(id.prefix(length)) }
}
