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

    /// The common base of concurrent heads: their one latest common ancestor, the common ancestor every other one
    /// is an ancestor of. Nil when they have none, and when they have several latest ones (a criss-cross: two
    /// peers each merged the same two revisions their own way), where no single text is what both sides changed
    /// from, so that a three-way merge would take one side's merge for the base and silently drop the other's.
    static func commonBase(of heads: [Revision], _ db: Database) throws -> Revision? {
        guard let first = heads.first else { return nil }
        var common = try ancestors(of: first.id, db)
        for head in heads.dropFirst() {
            common.formIntersection(try ancestors(of: head.id, db))
        }
        guard !common.isEmpty else { return nil }
        // The ancestors of a common ancestor are common too, so a common ancestor that is not the latest is the
        // parent of another one: the latest are those no common ancestor names as a parent. Only the links are
        // read for that, not the bodies (a report's history holds a whole text per revision).
        let placeholders = common.map { _ in "?" }.joined(separator: ", ")
        var parents: Set<String> = []
        var ids: [String] = []
        for row in try Row.fetchAll(
            db, sql: "SELECT id, parents FROM stored_revision WHERE id IN (\(placeholders))",
            arguments: StatementArguments(Array(common)))
        {
            ids.append(row["id"])
            for parent in try ParentList.decode(row["parents"]) { parents.insert(parent.rawValue) }
        }
        let latest = ids.filter { !parents.contains($0) }
        guard latest.count == 1 else { return nil }
        return try Revision.fetchAll(db, sql: "SELECT * FROM revision WHERE id = ?", arguments: [latest[0]]).first
    }

    /// Every ancestor of `head`, itself excluded, in no particular order.
    static func earlierRevisions(of head: Revision, _ db: Database) throws -> [Revision] {
        var ancestors = try ancestors(of: head.id, db)
        ancestors.remove(head.id.rawValue)
        return try revisions(ancestors, db)
    }

    /// The stored revisions among `ids`, in no particular order.
    private static func revisions(_ ids: Set<String>, _ db: Database) throws -> [Revision] {
        guard !ids.isEmpty else { return [] }
        let placeholders = ids.map { _ in "?" }.joined(separator: ", ")
        return try Revision.fetchAll(
            db, sql: "SELECT * FROM revision WHERE id IN (\(placeholders))", arguments: StatementArguments(Array(ids)))
    }
}

extension Revision {
    /// The body of a report revision.
    func reportBody() throws -> ReportBody {
        try BodyCoding.decode(ReportBody.self, from: body, kind: .report)
    }
}
