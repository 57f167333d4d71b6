import GRDB
import MarginCore

/// The identity a store writes under: its peer id, and the author name shown next to its revisions.
public struct PeerIdentity: Sendable, Equatable {
    /// The peer id, made once when the store was created.
    public var id: PeerID
    /// The author name recorded in every revision this store makes.
    public var author: String

    static func fetch(_ db: Database) throws -> PeerIdentity {
        let rows = try Row.fetchAll(db, sql: "SELECT key, value FROM store_info")
        var values: [String: String] = [:]
        for row in rows { values[row["key"]] = row["value"] }
        guard let id = values["peer_id"], let author = values["author"] else {
            throw MarginStoreError(.database("the store has no peer identity"))
        }
        return PeerIdentity(id: PeerID(rawValue: id), author: author)
    }

    func save(_ db: Database) throws {
        try db.execute(
            sql: "INSERT OR REPLACE INTO store_info (key, value) VALUES ('peer_id', ?), ('author', ?)",
            arguments: [id.rawValue, author])
    }
}
