import GRDB
import MarginCore

/// The single materialization at the end of a bulk load (see ``BulkLoad``): every record whose heads a bulk page
/// wrote, made current from those heads, exactly as a page-by-page pull would have left it.
enum BulkMaterialization {
    /// Records materialized per transaction.
    static let chunkSize = 10_000

    /// Records are materialized kind by kind: reports before the annotations placed on their sections.
    enum Phase: CaseIterable {
        case reports, annotations, tags, otherKinds

        /// The condition on `record.kind` that selects the phase's records.
        var kindCondition: String {
            switch self {
            case .reports: "kind = 'report'"
            case .annotations: "kind = 'annotation'"
            case .tags: "kind = 'tag'"
            case .otherKinds: "kind NOT IN ('report', 'annotation', 'tag')"
            }
        }
    }

    /// Materializes the next `limit` of the phase's waiting records after row `after` (in row order, which is the
    /// order the load first met them in), and returns how many it did and the last row; nil when none is left.
    static func materializeChunk(
        _ phase: Phase, after: Int64, limit: Int = chunkSize, _ db: Database
    ) throws -> (count: Int, last: Int64)? {
        let rows = try Row.fetchAll(
            db.cachedStatement(sql: """
                SELECT rowid, id, kind, heads FROM record
                WHERE rowid > ? AND current_revision = ? AND \(phase.kindCondition) ORDER BY rowid LIMIT ?
                """),
            arguments: [after, BulkLoad.unmaterialized, limit])
        guard let last = rows.last else { return nil }
        let batch = MaterializationBatch()
        for row in rows {
            try materialize(
                RecordID(rawValue: row["id"]), kind: RecordKind(rawValue: row["kind"]),
                heads: try ParentList.decode(row["heads"]), batch, db)
        }
        try batch.finish(db)
        return (rows.count, last["rowid"])
    }

    /// Whether some record still waits (a page pulled while the load was being materialized).
    static func anyUnmaterialized(_ db: Database) throws -> Bool {
        try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM record WHERE current_revision = ?)", arguments: [BulkLoad.unmaterialized]
        ) ?? false
    }

    private static func materialize(
        _ record: RecordID, kind: RecordKind, heads: [RevisionID], _ batch: MaterializationBatch, _ db: Database
    ) throws {
        let onlyHead = try heads.count == 1 ? RevisionLedger.revisions(heads, db).first : nil
        // An annotation keeps its first revision's author and creation time: the row is made from that revision
        // first, as when the revisions arrive one per page, unless the head is that revision or the row exists.
        if kind == .annotation, onlyHead.map({ !$0.parents.isEmpty }) ?? true, try !annotationExists(record, db),
            let first = try firstRevision(of: record, db)
        {
            try Materializer.refresh(first, in: batch, db)
        }
        if let onlyHead {
            try Materializer.refresh(onlyHead, in: batch, db)
        } else {
            try Materializer.refresh(record: record, kind: kind, heads: heads, in: batch, db)
        }
    }

    private static func annotationExists(_ record: RecordID, _ db: Database) throws -> Bool {
        try db.cachedStatement(sql: "SELECT 1 FROM annotation WHERE id = ?").first([.text(record.rawValue)]) { _ in true }
            ?? false
    }

    /// The record's first revision in the change log.
    private static func firstRevision(of record: RecordID, _ db: Database) throws -> Revision? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM revision WHERE record_id = ? ORDER BY seq LIMIT 1"),
            arguments: [record.rawValue]
        ).map(Revision.init(row:))
    }
}
