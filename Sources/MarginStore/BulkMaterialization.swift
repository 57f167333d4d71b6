import GRDB
import MarginCore

/// The single materialization at the end of a bulk load (see ``BulkLoad``): every record whose heads a bulk page
/// wrote, made current from those heads, exactly as a page-by-page pull would have left it.
enum BulkMaterialization {
    /// Records materialized per transaction. The next chunk is read ahead meanwhile (see ``BulkPrefetch``), so two
    /// chunks' heads and bodies are in memory at once: at 10,000 records, the first pull of 100,020 revisions
    /// peaked at 101 MB (74 MB without reading ahead); at 5,000, at 81 MB, for about 5% more time materializing.
    static let chunkSize = 5_000

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

    /// A record waiting to be materialized: its row, identity, kind and heads.
    struct Waiting {
        var row: Int64
        var record: RecordID
        var kind: RecordKind
        var heads: [RevisionID]
    }

    /// The next `limit` of the phase's waiting records after row `after`, in row order (the order the load first
    /// met them in).
    static func waitingRecords(_ phase: Phase, after: Int64, limit: Int, _ db: Database) throws -> [Waiting] {
        try Row.fetchAll(
            db.cachedStatement(sql: """
                SELECT rowid, id, kind, heads FROM record
                WHERE rowid > ? AND current_revision = ? AND \(phase.kindCondition) ORDER BY rowid LIMIT ?
                """),
            arguments: [after, BulkLoad.unmaterialized, limit]
        ).map { row in
            Waiting(
                row: row["rowid"], record: RecordID(rawValue: row["id"]), kind: RecordKind(rawValue: row["kind"]),
                heads: try ParentList.decode(row["heads"]))
        }
    }

    /// Materializes the next `limit` of the phase's waiting records after row `after` (see ``waitingRecords``),
    /// taking what `prepared` holds of them instead of reading it again, and returns how many it did and the last
    /// row; nil when none is left.
    static func materializeChunk(
        _ phase: Phase, after: Int64, limit: Int = chunkSize, prepared: PreparedChunk = PreparedChunk(),
        _ db: Database
    ) throws -> (count: Int, last: Int64)? {
        let records = try waitingRecords(phase, after: after, limit: limit, db)
        guard let last = records.last else { return nil }
        let batch = MaterializationBatch()
        for waiting in records {
            try materialize(waiting, prepared, batch, db)
        }
        try batch.finish(db)
        return (records.count, last.row)
    }

    /// Reads what materializing the next `limit` of the phase's waiting records after row `after` reads, without
    /// writing: their single heads, the annotation bodies among them decoded, and the first revision's author and
    /// time of annotations whose heads are later revisions. A head or body that cannot be read is left out (the
    /// writer reads it again and meets the error itself).
    static func prepareChunk(_ phase: Phase, after: Int64, limit: Int, _ db: Database) throws -> PreparedChunk {
        let records = try waitingRecords(phase, after: after, limit: limit, db)
        var prepared = PreparedChunk(last: records.last?.row)
        for waiting in records {
            let onlyHead = waiting.heads.count == 1 ? try? RevisionLedger.revisions(waiting.heads, db).first : nil
            if let onlyHead { prepared.revisions[onlyHead.id] = onlyHead }
            guard waiting.kind == .annotation else { continue }
            if let onlyHead {
                prepared.annotationBodies[onlyHead.id] = try? BodyCoding.decode(
                    AnnotationBody.self, from: onlyHead.body, kind: .annotation)
            }
            if isAuthoredBeforeItsHeads(waiting, onlyHead: onlyHead) {
                prepared.firstAuthorship[waiting.record] = try firstAuthorship(of: waiting.record, db)
            }
        }
        return prepared
    }

    /// How many records wait to be materialized.
    static func unmaterializedCount(_ db: Database) throws -> Int {
        try Int.fetchOne(
            db, sql: "SELECT COUNT(*) FROM record WHERE current_revision = ?", arguments: [BulkLoad.unmaterialized]
        ) ?? 0
    }

    /// How many of the phase's records wait to be materialized.
    static func unmaterializedCount(_ phase: Phase, _ db: Database) throws -> Int {
        try Int.fetchOne(
            db, sql: "SELECT COUNT(*) FROM record WHERE current_revision = ? AND \(phase.kindCondition)",
            arguments: [BulkLoad.unmaterialized]
        ) ?? 0
    }

    /// Whether some record still waits (a page pulled while the load was being materialized).
    static func anyUnmaterialized(_ db: Database) throws -> Bool {
        try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM record WHERE current_revision = ?)", arguments: [BulkLoad.unmaterialized]
        ) ?? false
    }

    private static func materialize(
        _ waiting: Waiting, _ prepared: PreparedChunk, _ batch: MaterializationBatch, _ db: Database
    ) throws {
        let onlyHead = try waiting.heads.count == 1
            ? prepared.revisions[waiting.heads[0]] ?? RevisionLedger.revisions(waiting.heads, db).first : nil
        var known = KnownFacts(recordRow: waiting.row, bodies: prepared.annotationBodies)
        // An annotation keeps its first revision's author and creation time. When its heads are later revisions
        // and it has no row yet, the row is made from the heads with those, in one write.
        if isAuthoredBeforeItsHeads(waiting, onlyHead: onlyHead), try !annotationExists(waiting.record, db) {
            known.firstRevision = try prepared.firstAuthorship[waiting.record] ?? firstAuthorship(of: waiting.record, db)
        }
        if let onlyHead {
            try Materializer.refresh(onlyHead, known: known, in: batch, db)
        } else {
            try Materializer.refresh(
                record: waiting.record, kind: waiting.kind, heads: waiting.heads, known: known, in: batch, db)
        }
    }

    /// Whether the record is an annotation whose row takes its author and creation time from a revision other
    /// than its heads: its single head is a later revision, or it has concurrent heads.
    private static func isAuthoredBeforeItsHeads(_ waiting: Waiting, onlyHead: Revision?) -> Bool {
        waiting.kind == .annotation && (onlyHead.map { !$0.parents.isEmpty } ?? true)
    }

    private static func annotationExists(_ record: RecordID, _ db: Database) throws -> Bool {
        try db.cachedStatement(sql: "SELECT 1 FROM annotation WHERE id = ?").first([.text(record.rawValue)]) { _ in true }
            ?? false
    }

    /// The author and time of the record's first revision in the change log.
    static func firstAuthorship(of record: RecordID, _ db: Database) throws -> Authorship? {
        try db.cachedStatement(sql: "SELECT author, created_at FROM revision WHERE record_id = ? ORDER BY seq LIMIT 1")
            .first([.text(record.rawValue)]) { row in
                Authorship(author: row.text(0) ?? "", createdAt: row.integer(1))
            }
    }
}
