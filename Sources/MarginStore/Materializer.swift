import GRDB
import MarginCore

/// Keeps the query tables (`record`, `report`, `section`, `annotation`, `section_tag` and the full-text indexes)
/// equal to what the merge rules make of each record's heads.
enum Materializer {
    static func refresh(record: RecordID, kind: RecordKind, _ db: Database) throws {
        let heads = try RevisionLedger.headRevisions(of: record, db)
        // Only concurrent annotation edits need their common base (for the three-way merge).
        let base = kind == .annotation && heads.count > 1 ? try RevisionGraph.commonBase(of: heads, db) : nil
        let resolution = MergeRules.resolve(heads: heads, base: base)
        try db.execute(
            sql: """
                INSERT INTO record (id, kind, current_revision, head_count, conflicted) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET current_revision = excluded.current_revision,
                    head_count = excluded.head_count, conflicted = excluded.conflicted
                """,
            arguments: [record.rawValue, kind.rawValue, resolution.winner.id.rawValue, heads.count, resolution.isConflicted])
        switch kind {
        case .report: try refreshReport(record, resolution.winner, db)
        case .annotation: try refreshAnnotation(record, resolution, db)
        case .tag: try refreshTag(resolution.winner, db)
        }
    }

    private static func refreshReport(_ record: RecordID, _ winner: Revision, _ db: Database) throws {
        if try String.fetchOne(db, sql: "SELECT revision_id FROM report WHERE id = ?", arguments: [record.rawValue])
            == winner.id.rawValue
        { return }
        let body = try BodyCoding.decode(ReportBody.self, from: winner.body, kind: .report)
        try db.execute(
            sql: "DELETE FROM section_fts WHERE rowid IN (SELECT rowid FROM section WHERE report_id = ?)",
            arguments: [record.rawValue])
        try db.execute(sql: "DELETE FROM section WHERE report_id = ?", arguments: [record.rawValue])
        try db.execute(
            sql: """
                INSERT INTO report (id, title, section_count, revision_id) VALUES (?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET title = excluded.title, section_count = excluded.section_count,
                    revision_id = excluded.revision_id
                """,
            arguments: [record.rawValue, body.title, body.sections.count, winner.id.rawValue])
        let outline = SectionOutline.numbers(for: body.sections)
        let insertSection = try db.cachedStatement(sql: """
            INSERT INTO section (id, report_id, position, outline, level, label, heading, text, parent_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let insertSearch = try db.cachedStatement(sql: "INSERT INTO section_fts (rowid, heading, text) VALUES (?, ?, ?)")
        for (position, section) in body.sections.enumerated() {
            try insertSection.execute(arguments: [
                section.id.rawValue, record.rawValue, position, outline[position], section.level, section.label,
                section.heading, section.text, section.parent?.rawValue,
            ])
            try insertSearch.execute(arguments: [db.lastInsertedRowID, section.heading, section.text])
        }
        try AnchorPlacer.placeAnnotations(ofReport: record, db)
    }

    private static func refreshAnnotation(_ record: RecordID, _ resolution: RecordResolution, _ db: Database) throws {
        let winner = resolution.winner
        let body = try BodyCoding.decode(AnnotationBody.self, from: resolution.body, kind: .annotation)
        let firstCreated = try Int64.fetchOne(
            db, sql: "SELECT MIN(created_at) FROM revision WHERE record_id = ?", arguments: [record.rawValue]
        ) ?? winner.createdAt
        let firstAuthor = try String.fetchOne(
            db, sql: "SELECT author FROM revision WHERE record_id = ? AND parents = '[]' ORDER BY clock, id LIMIT 1",
            arguments: [record.rawValue]) ?? winner.author
        try db.execute(
            sql: "DELETE FROM annotation_fts WHERE rowid = (SELECT rowid FROM annotation WHERE id = ?)",
            arguments: [record.rawValue])
        try db.execute(
            sql: """
                INSERT INTO annotation (id, report_id, section_id, text, quote, quote_prefix, quote_suffix, quote_start,
                    quote_end, author, created_at, updated_at, deleted, conflicted, revision_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET report_id = excluded.report_id, section_id = excluded.section_id,
                    text = excluded.text, quote = excluded.quote, quote_prefix = excluded.quote_prefix,
                    quote_suffix = excluded.quote_suffix, quote_start = excluded.quote_start,
                    quote_end = excluded.quote_end, updated_at = excluded.updated_at, deleted = excluded.deleted,
                    conflicted = excluded.conflicted, revision_id = excluded.revision_id
                """,
            arguments: [
                record.rawValue, body.report.rawValue, body.section.rawValue, body.text, body.anchor?.quote,
                body.anchor?.prefix, body.anchor?.suffix, body.anchor?.start, body.anchor?.end, firstAuthor,
                firstCreated, winner.createdAt, body.deleted, resolution.isConflicted, winner.id.rawValue,
            ])
        if !body.deleted {
            try db.execute(
                sql: "INSERT INTO annotation_fts (rowid, text) SELECT rowid, text FROM annotation WHERE id = ?",
                arguments: [record.rawValue])
        }
        try AnchorPlacer.place(annotation: record, db)
    }

    private static func refreshTag(_ winner: Revision, _ db: Database) throws {
        let body = try BodyCoding.decode(TagBody.self, from: winner.body, kind: .tag)
        if body.present {
            try db.execute(
                sql: "INSERT OR IGNORE INTO section_tag (section_id, tag, report_id) VALUES (?, ?, ?)",
                arguments: [body.section.rawValue, body.tag, body.report.rawValue])
        } else {
            try db.execute(
                sql: "DELETE FROM section_tag WHERE section_id = ? AND tag = ?",
                arguments: [body.section.rawValue, body.tag])
        }
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
