import GRDB

/// The report or annotation identities that start with a typed prefix: how many there are, and the first few in
/// sorted order. Identities are lowercase hexadecimal, so the prefix's matches are the index range from the prefix
/// up to the prefix followed by `g`.
struct PrefixMatches {
    /// How many identities start with the prefix.
    var count: Int
    /// The matching identities in sorted order, at most ``kept`` of them.
    var ids: [String]

    /// At most this many matching identities are read to work out how many characters tell them apart; beyond it,
    /// the store's short-identity length (which tells every identity apart) is the answer.
    static let kept = 1_000

    /// No matches.
    static let none = PrefixMatches(count: 0, ids: [])

    private init(count: Int, ids: [String]) {
        self.count = count
        self.ids = ids
    }

    /// Looks up the identities of `table` (`report` or `annotation`) starting with `prefix`.
    init(table: String, prefix: String, _ db: Database) throws {
        let range = "FROM \(table) WHERE id >= ? AND id < ?"
        ids = try String.fetchAll(
            db, sql: "SELECT id \(range) ORDER BY id LIMIT \(Self.kept + 1)", arguments: [prefix, prefix + "g"])
        count = ids.count <= Self.kept
            ? ids.count : try Int.fetchOne(db, sql: "SELECT COUNT(*) \(range)", arguments: [prefix, prefix + "g"]) ?? 0
        ids = Array(ids.prefix(Self.kept))
    }

    /// The fewest characters that tell every one of the matches apart from the others: one more than the longest
    /// prefix two of them share (the two are neighbours in sorted order), and never less than listings show.
    static func neededLength(_ first: PrefixMatches, _ second: PrefixMatches, _ db: Database) throws -> Int {
        guard first.count == first.ids.count, second.count == second.ids.count else {
            return try ShortIdentifiers.length(db)
        }
        let sorted = (first.ids + second.ids).sorted()
        let shared = zip(sorted, sorted.dropFirst()).map { pair in
            zip(pair.0.utf8, pair.1.utf8).prefix { $0 == $1 }.count
        }.max() ?? 0
        return max(ShortIdentifiers.minimumLength, shared + 1)
    }
}
