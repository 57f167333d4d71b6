import GRDB
import MarginCore

/// Keeps the query tables (`record`, `report`, `stored_section`, `annotation`, `section_tag` and the full-text
/// indexes) equal to what the merge rules make of each record's heads.
enum Materializer {
    /// Makes `heads` (all of them, after concurrent revisions met) the record's heads, and recomputes its current
    /// value from them.
    ///
    /// With a `batch`, what can wait is left in it for the caller to finish; without, it is done before returning.
    static func refresh(
        record: RecordID, kind: RecordKind, heads: [RevisionID], known: KnownFacts = KnownFacts(),
        in batch: MaterializationBatch? = nil, _ db: Database
    ) throws {
        let heads = try RevisionLedger.revisions(heads, db)
        // Concurrent annotation and report edits need their common base (what each side changed from).
        let base = (kind == .annotation || kind == .report) && heads.count > 1
            ? try RevisionGraph.commonBase(of: heads, db) : nil
        try apply(MergeRules.resolve(heads: heads, base: base), known, batch, db)
    }

    /// Makes a revision its record's only head and current value: nothing to load or merge.
    static func refresh(
        _ onlyHead: Revision, known: KnownFacts = KnownFacts(), in batch: MaterializationBatch? = nil,
        _ db: Database
    ) throws {
        try apply(RecordResolution(onlyHead: onlyHead), known, batch, db)
    }

    private static func apply(
        _ resolution: RecordResolution, _ known: KnownFacts, _ given: MaterializationBatch?, _ db: Database
    ) throws {
        let batch = given ?? MaterializationBatch()
        let winner = resolution.winner
        let heads = ParentList.encode(resolution.heads.map(\.id).sorted { $0.rawValue < $1.rawValue })
        // A row the caller read is updated where it is, without looking its identity up in the index; one that
        // turns out to be another record's is left alone, and the record's own row is written by identity.
        let updatedInPlace = try known.recordRow.map { row in
            try db.cachedStatement(sql: """
                UPDATE record SET current_revision = ?, head_count = ?, conflicted = ?, heads = ? WHERE rowid = ? AND id = ?
                """
            ).run([
                .text(winner.id.rawValue), .integer(resolution.heads.count), .boolean(resolution.isConflicted),
                .text(heads), .integer(row), .text(winner.record.rawValue),
            ])
            return db.changesCount > 0
        } ?? false
        if !updatedInPlace {
            try db.cachedStatement(sql: """
                INSERT INTO record (id, kind, current_revision, head_count, conflicted, heads) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET current_revision = excluded.current_revision,
                    head_count = excluded.head_count, conflicted = excluded.conflicted, heads = excluded.heads
                """
            ).run([
                .text(winner.record.rawValue), .text(winner.kind.rawValue), .text(winner.id.rawValue),
                .integer(resolution.heads.count), .boolean(resolution.isConflicted), .text(heads),
            ])
        }
        switch winner.kind {
        case .report: try refreshReport(winner.record, winner, batch, db)
        case .annotation: try refreshAnnotation(winner.record, resolution, known, batch, db)
        case .tag: try refreshTag(winner, db)
        default:
            // A kind this version does not know: kept in `record` (with its heads) and forwarded, never shown.
            break
        }
        if given == nil { try batch.finish(db) }
    }

    private static func refreshReport(_ record: RecordID, _ winner: Revision, _ batch: MaterializationBatch, _ db: Database) throws {
        let current = try db.cachedStatement(sql: "SELECT revision_id, removed FROM report WHERE id = ?")
            .first([.text(record.rawValue)]) { row in (revision: row.text(0), removed: row.integer(1) != 0) }
        if current?.revision == winner.id.rawValue { return }
        let body = try BodyCoding.decode(ReportBody.self, from: winner.body, kind: .report)
        // A removed report keeps its sections (its notes stay placed, its text reads on) but not its search
        // entries: `find` does not see it, and it has no entries to remove when it comes back.
        if let current, !current.removed { try SectionIndexes.remove(report: record, db) }
        if body.removed {
            try SectionIndexes.unmarkPending(report: record, db)
        } else {
            try SectionIndexes.markPending(report: record, db)
        }
        try db.execute(sql: "DELETE FROM stored_section WHERE report_id = ?", arguments: [record.rawValue])
        try db.execute(
            sql: """
                INSERT INTO report (id, title, section_count, revision_id, title_order, source_file, source_title,
                    source_occurrence, removed)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET title = excluded.title, section_count = excluded.section_count,
                    revision_id = excluded.revision_id, title_order = excluded.title_order,
                    source_file = excluded.source_file, source_title = excluded.source_title,
                    source_occurrence = excluded.source_occurrence, removed = excluded.removed
                """,
            arguments: [
                record.rawValue, body.title, body.sections.count, winner.id.rawValue, TitleOrder.key(for: body.title),
                body.source?.file, body.source?.title, body.source?.occurrence, body.removed,
            ])
        if current == nil { batch.noteNewIdentity(record.rawValue) }
        let outline = SectionOutline.numbers(for: body.sections)
        // The text stays in the revision's body only, where `section` reads it by position (see
        // `SectionTextStorage`); a body SQLite would read otherwise than it was decoded keeps its text in the row.
        let insertSection = try db.cachedStatement(sql: SectionTextStorage.insertSQL)
        for (position, section) in body.sections.enumerated() {
            try insertSection.execute(arguments: [
                section.id.rawValue, record.rawValue, position, outline[position], section.level, section.label,
                section.heading, section.parent?.rawValue, winner.id.rawValue, section.text,
            ])
        }
        try AnchorPlacer.placeAnnotations(ofReport: record, db)
    }

    private static func refreshAnnotation(
        _ record: RecordID, _ resolution: RecordResolution, _ known: KnownFacts, _ batch: MaterializationBatch,
        _ db: Database
    ) throws {
        let winner = resolution.winner
        let body = try known.body(of: resolution)
            ?? BodyCoding.decode(AnnotationBody.self, from: resolution.body, kind: .annotation)
        let placement = try AnchorPlacer.placement(of: body, db)
        // A first revision has no row yet (nor has a record whose first revision the caller knows); later ones
        // replace the row's search entry, made from the text the row holds until now unless the note was deleted.
        let isNew = (winner.parents.isEmpty && resolution.heads.count == 1) || known.firstRevision != nil
        let existing = isNew ? nil : try db.cachedStatement(sql: "SELECT rowid, text, deleted FROM annotation WHERE id = ?")
            .first([.text(record.rawValue)]) { row in
                (rowid: row.integer(0), indexed: row.integer(2) == 0 ? row.text(1) : nil)
            }
        let rowid = existing?.rowid
        // Author and creation time are the first revision's: set on insert (the first revision always arrives
        // first, in causal order, unless the caller gives them) and never updated.
        let first = known.firstRevision ?? Authorship(author: winner.author, createdAt: winner.createdAt)
        // A new row is a plain insert: should the row exist after all, the insert fails rather than give the search
        // index a second entry for one note.
        try db.cachedStatement(sql: isNew ? Self.insertAnnotationSQL : Self.upsertAnnotationSQL).run([
            .text(record.rawValue), .text(body.report.rawValue), .text(placement.section.rawValue), .text(body.text),
            .text(body.anchor?.quote), .text(body.anchor?.prefix), .text(body.anchor?.suffix),
            .integer(body.anchor?.start), .integer(body.anchor?.end), .text(first.author),
            .integer(first.createdAt), .integer(winner.createdAt), .boolean(body.deleted),
            .boolean(resolution.isConflicted), .text(winner.id.rawValue), .text(placement.status),
            .integer(placement.start), .integer(placement.end), .text(placement.movedFrom?.rawValue),
            .text(placement.storedCandidates),
        ])
        batch.search.set(
            rowid: rowid ?? db.lastInsertedRowID, previous: existing?.indexed, text: body.deleted ? nil : body.text)
        if rowid == nil { batch.noteNewIdentity(record.rawValue) }
    }

    private static let insertAnnotationSQL = """
        INSERT INTO annotation (id, report_id, section_id, text, quote, quote_prefix, quote_suffix, quote_start,
            quote_end, author, created_at, updated_at, deleted, conflicted, revision_id, anchor_status,
            placed_start, placed_end, moved_from_section_id, anchor_candidates)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    private static let upsertAnnotationSQL = insertAnnotationSQL + """

        ON CONFLICT(id) DO UPDATE SET report_id = excluded.report_id, section_id = excluded.section_id,
            text = excluded.text, quote = excluded.quote, quote_prefix = excluded.quote_prefix,
            quote_suffix = excluded.quote_suffix, quote_start = excluded.quote_start,
            quote_end = excluded.quote_end, updated_at = excluded.updated_at, deleted = excluded.deleted,
            conflicted = excluded.conflicted, revision_id = excluded.revision_id,
            anchor_status = excluded.anchor_status, placed_start = excluded.placed_start,
            placed_end = excluded.placed_end, moved_from_section_id = excluded.moved_from_section_id,
            anchor_candidates = excluded.anchor_candidates
        """

    private static func refreshTag(_ winner: Revision, _ db: Database) throws {
        let body = try BodyCoding.decode(TagBody.self, from: winner.body, kind: .tag)
        if body.present {
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO section_tag (section_id, tag, report_id) VALUES (?, ?, ?)")
                .run([.text(body.section.rawValue), .text(body.tag), .text(body.report.rawValue)])
        } else {
            try db.cachedStatement(sql: "DELETE FROM section_tag WHERE section_id = ? AND tag = ?")
                .run([.text(body.section.rawValue), .text(body.tag)])
        }
    }
}

/// Who wrote a record's first revision, and when: an annotation row keeps them for good.
struct Authorship: Sendable, Equatable {
    var author: String
    var createdAt: Int64
}

/// What a caller already knows of a record it materializes, so that the materializer need not find it again.
struct KnownFacts {
    /// The record's row in `record`, when the caller read it there.
    var recordRow: Int64?
    /// Annotation bodies already decoded, by revision.
    var bodies: [RevisionID: AnnotationBody] = [:]
    /// An annotation's first revision's author and time, given when the annotation has no row yet and its heads
    /// are later revisions: the row is then made from the heads alone, with these.
    var firstRevision: Authorship?

    /// The current value's body if it is a head's own (not merged) and already decoded.
    func body(of resolution: RecordResolution) -> AnnotationBody? {
        resolution.mergedBody == nil ? bodies[resolution.winner.id] : nil
    }
}

/// Outline numbers for sections: `0` for the preamble, then `1`, `1.1`, `1.2`, `2`, … following the heading tree.
enum SectionOutline {
    static func numbers(for sections: [SectionBody]) -> [String] {
        var numbers: [String] = []
        var byID: [SectionID: String] = [:]
        var childCount: [SectionID?: Int] = [:]
        for section in sections {
            let number: String
            if section.level == 0 {
                number = "0"
            } else {
                let parentKey: SectionID? = section.parent.flatMap { byID[$0] == "0" ? nil : $0 }
                let index = (childCount[parentKey] ?? 0) + 1
                childCount[parentKey] = index
                if let parentKey, let parentNumber = byID[parentKey] {
                    number = "\(parentNumber).\(index)"
                } else {
                    number = "\(index)"
                }
            }
            byID[section.id] = number
            numbers.append(number)
        }
        return numbers
    }
}
