import GRDB
import MarginCore

/// Walks the parent links between revisions.
enum RevisionGraph {
    /// Every ancestor of a revision, itself included.
    static func ancestors(of revision: RevisionID, _ db: Database) throws -> Set<String> {
        Set(try String.fetchAll(db, sql: """
            WITH RECURSIVE ancestor(id) AS (
                SELECT ?
                UNION
                SELECT parent.value FROM ancestor
                JOIN revision ON revision.id = ancestor.id, json_each(revision.parents) AS parent
            )
            SELECT id FROM ancestor
            """, arguments: [revision.rawValue]))
    }

    /// The common base of concurrent heads: among their common ancestors, the one with the highest Lamport clock
    /// (then the greatest id). A revision's clock exceeds its ancestors', so no other common ancestor descends from it.
    static func commonBase(of heads: [Revision], _ db: Database) throws -> Revision? {
        guard let first = heads.first else { return nil }
        var common = try ancestors(of: first.id, db)
        for head in heads.dropFirst() {
            common.formIntersection(try ancestors(of: head.id, db))
        }
        guard !common.isEmpty else { return nil }
        let placeholders = common.map { _ in "?" }.joined(separator: ", ")
        return try Revision.fetchAll(
            db, sql: "SELECT * FROM revision WHERE id IN (\(placeholders)) ORDER BY clock DESC, id DESC LIMIT 1",
            arguments: StatementArguments(Array(common))
        ).first
    }
}
