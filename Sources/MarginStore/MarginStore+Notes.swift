import GRDB
import MarginCore

extension MarginStore {
    /// Notes across every report, newest first (by when they were first written), with their report, section
    /// and quote. Deleted notes are left out, except a conflicted one whose shown side is a delete.
    ///
    /// Filtering, ordering, counting and paging are done by SQLite.
    /// - Parameters:
    ///   - offset: how many notes of the listing to skip.
    ///   - limit: at most this many notes; nil for all of them.
    /// - Returns: the page of notes, with how many match in all.
    /// - Throws: ``MarginStoreError`` when `filter.report` is not a report reference, or `unknownTag` (with the tags
    ///   in use it may have meant) when no section in use carries `filter.tag`.
    public func notes(_ filter: NoteFilter = NoteFilter(), offset: Int = 0, limit: Int? = nil) throws -> ListingPage<NoteEntry> {
        try read { db in
            var conditions = ["(annotation.deleted = 0 OR annotation.conflicted = 1)"]
            var arguments: [(any DatabaseValueConvertible)?] = []
            if let author = filter.author {
                conditions.append("annotation.author = ?")
                arguments.append(author)
            }
            if let since = filter.since {
                conditions.append("annotation.created_at >= ?")
                arguments.append(since.milliseconds)
            }
            if let reference = filter.report {
                let resolved = try Self.resolve(reference, db)
                guard case let .report(id) = resolved else {
                    throw MarginStoreError(.wrongReferenceKind(reference, expected: "report", actual: resolved.kindName))
                }
                conditions.append("annotation.report_id = ?")
                arguments.append(id.rawValue)
            }
            if let typed = filter.tag {
                let tag = TagName.normalize(typed)
                guard try TagsInUse.contains(tag, db) else {
                    throw MarginStoreError(.unknownTag(tag, similar: SimilarTags.closest(to: tag, among: try TagsInUse.all(db))))
                }
                // Only tags of sections in use, as `tags` counts them and `find --tag` finds them.
                conditions.append("""
                    EXISTS (SELECT 1 FROM section_tag \(TagsInUse.join)
                    WHERE section_tag.section_id = annotation.section_id AND section_tag.tag = ?)
                    """)
                arguments.append(tag)
            }
            if filter.orphaned { conditions.append("annotation.anchor_status = 'orphaned'") }
            if filter.conflicted { conditions.append("annotation.conflicted = 1") }
            let whereClause = "WHERE " + conditions.joined(separator: " AND ")
            let total = try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM annotation \(whereClause)", arguments: StatementArguments(arguments)) ?? 0
            arguments += [limit.map { max(0, $0) } ?? -1, max(0, offset)]
            let length = try ShortIdentifiers.length(db)
            var notes = try Row.fetchAll(db, sql: """
                SELECT annotation.id, annotation.report_id, annotation.section_id, annotation.text, annotation.quote,
                    annotation.author, annotation.created_at, annotation.updated_at, annotation.anchor_status,
                    annotation.conflicted, annotation.deleted, report.title AS report_title, section.outline,
                    section.label, section.heading, annotation.moved_from_section_id, origin.outline AS origin_outline,
                    origin.label AS origin_label, origin.heading AS origin_heading, annotation.anchor_candidates
                FROM annotation
                LEFT JOIN report ON report.id = annotation.report_id
                LEFT JOIN section ON section.id = annotation.section_id
                LEFT JOIN section AS origin ON origin.id = annotation.moved_from_section_id
                \(whereClause)
                ORDER BY annotation.created_at DESC, annotation.id DESC
                LIMIT ? OFFSET ?
                """, arguments: StatementArguments(arguments)
            ).map { Self.noteEntry($0, shortLength: length) }
            var references = try RecordReferences(db)
            for index in notes.indices where !notes[index].candidates.isEmpty {
                notes[index].candidateReferences = try notes[index].candidates.compactMap { try references.section($0, db) }
            }
            return ListingPage(items: notes, total: total, offset: max(0, offset))
        }
    }

    /// The reference people type for a section, e.g. `3f9a/2.1`, or nil when no report holds it.
    public func sectionReference(of section: SectionID) throws -> String? {
        try read { db in try Self.sectionReference(of: section, db) }
    }

    static func sectionReference(of section: SectionID, _ db: Database) throws -> String? {
        var references = try RecordReferences(db)
        return try references.section(section, db)
    }

    /// The annotation view with its section's reference filled in.
    static func withSectionReference(_ view: AnnotationView, _ db: Database) throws -> AnnotationView {
        var placed = view
        var references = try RecordReferences(db)
        if placed.sectionReference == nil { placed.sectionReference = try references.section(view.section, db) }
        if let movedFrom = view.movedFrom, placed.movedFromReference == nil {
            placed.movedFromReference = try references.section(movedFrom, db)
        }
        if placed.candidateReferences.isEmpty {
            placed.candidateReferences = try view.candidates.compactMap { try references.section($0, db) }
        }
        return placed
    }

    private static func noteEntry(_ row: Row, shortLength: Int) -> NoteEntry {
        let id: String = row["id"]
        let report: String = row["report_id"]
        let reportTitle: String? = row["report_title"]
        let reportReference = reportTitle == nil ? nil : ShortIdentifiers.shorten(report, length: shortLength)
        let outline: String? = row["outline"]
        let label: String = row["label"] ?? ""
        let heading: String = row["heading"] ?? ""
        var entry = NoteEntry(
            id: RecordID(rawValue: id), shortID: ShortIdentifiers.shorten(id, length: shortLength),
            report: RecordID(rawValue: report), reportReference: reportReference, reportTitle: reportTitle,
            section: SectionID(rawValue: row["section_id"]),
            sectionReference: outline.flatMap { outline in reportReference.map { "\($0)/\(outline)" } },
            heading: label + heading, quote: row["quote"], text: row["text"], author: row["author"],
            createdAt: Timestamp(milliseconds: row["created_at"]), updatedAt: Timestamp(milliseconds: row["updated_at"]),
            placement: row["anchor_status"], conflicted: row["conflicted"], deleted: row["deleted"])
        if let movedFrom: String = row["moved_from_section_id"] {
            entry.movedFrom = SectionID(rawValue: movedFrom)
            let outline: String? = row["origin_outline"]
            entry.movedFromReference = outline.flatMap { outline in reportReference.map { "\($0)/\(outline)" } }
            let label: String = row["origin_label"] ?? "", heading: String = row["origin_heading"] ?? ""
            entry.movedFromHeading = label + heading
        }
        entry.candidates = AnchorPlacer.candidates(row["anchor_candidates"])
        return entry
    }
}
