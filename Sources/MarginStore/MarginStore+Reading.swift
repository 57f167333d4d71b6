import Foundation
import GRDB
import MarginCore

extension MarginStore {
    /// Every report, in listing order (see ``reports(offset:limit:)``), with its counts.
    public func reports() throws -> [ReportSummary] {
        try reports(offset: 0, limit: nil).items
    }

    /// A page of the report listing and how many reports there are in all. Reports are sorted by title, with the
    /// numbers in titles compared by value (第2篇 before 第10篇), then by identity.
    ///
    /// The page is a range of the `report_by_title_order` index and the counts are read for its reports only, so
    /// a page costs the same in a store of 20 reports or of 20,000.
    ///
    /// - Parameters:
    ///   - offset: how many reports of the listing to skip.
    ///   - limit: at most this many reports; nil for all of them.
    ///   - removed: list the removed reports (see ``removeReport(_:)``) instead of the others.
    public func reports(offset: Int, limit: Int?, removed: Bool = false) throws -> ListingPage<ReportSummary> {
        try read { db in
            let length = try ShortIdentifiers.length(db)
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM report WHERE removed = ?", arguments: [removed]) ?? 0
            let items = try Row.fetchAll(db, sql: """
                SELECT report.id, report.title, report.section_count,
                    (SELECT COUNT(*) FROM annotation WHERE annotation.report_id = report.id AND deleted = 0) AS annotations,
                    (SELECT COUNT(*) FROM annotation WHERE annotation.report_id = report.id AND conflicted = 1) AS conflicts,
                    (SELECT COUNT(*) FROM section_tag JOIN stored_section ON stored_section.id = section_tag.section_id
                        AND stored_section.report_id = report.id
                        WHERE section_tag.report_id = report.id) AS tags
                FROM (SELECT id FROM report WHERE removed = ? ORDER BY title_order, id LIMIT ? OFFSET ?) AS page
                JOIN report ON report.id = page.id
                ORDER BY report.title_order, report.id
                """, arguments: [removed, limit ?? -1, max(0, offset)]
            ).map { row in
                let id: String = row["id"]
                return ReportSummary(
                    id: RecordID(rawValue: id), shortID: ShortIdentifiers.shorten(id, length: length),
                    title: row["title"], sections: row["section_count"], annotations: row["annotations"],
                    tags: row["tags"], conflicts: row["conflicts"])
            }
            return ListingPage(items: items, total: total, offset: max(0, offset))
        }
    }

    /// A report's outline: every section with its numbering, heading, tags and annotation counts.
    public func outline(of reference: String) throws -> ReportOutline {
        try read { db in
            let resolved = try Self.resolve(reference, db)
            guard case let .report(id) = resolved else {
                throw MarginStoreError(.wrongReferenceKind(reference, expected: "report", actual: resolved.kindName))
            }
            return try Self.outline(id, db)
        }
    }

    static func outline(_ id: RecordID, _ db: Database) throws -> ReportOutline {
        let length = try ShortIdentifiers.length(db)
        guard let report = try Row.fetchOne(db, sql: "SELECT * FROM report WHERE id = ?", arguments: [id.rawValue]) else {
            throw MarginStoreError(.unknownReference(id.rawValue, expected: "reports"))
        }
        let short = ShortIdentifiers.shorten(id.rawValue, length: length)
        let tags = try tagsBySection(report: id, db)
        let counts = try Row.fetchAll(db, sql: """
            SELECT section_id, SUM(deleted = 0) AS live, SUM(conflicted) AS conflicts
            FROM annotation WHERE report_id = ? GROUP BY section_id
            """, arguments: [id.rawValue])
        var live: [String: Int] = [:]
        var conflicts: [String: Int] = [:]
        for row in counts {
            live[row["section_id"]] = row["live"]
            conflicts[row["section_id"]] = row["conflicts"]
        }
        let sections = try Row.fetchAll(
            db, sql: "SELECT id, outline, level, label, heading FROM section WHERE report_id = ? ORDER BY position",
            arguments: [id.rawValue]
        ).map { row in
            let sectionID: String = row["id"]
            let number: String = row["outline"]
            return OutlineEntry(
                reference: "\(short)/\(number)", id: SectionID(rawValue: sectionID), number: number,
                level: row["level"], label: row["label"], heading: row["heading"], tags: tags[sectionID] ?? [],
                annotations: live[sectionID] ?? 0, conflicts: conflicts[sectionID] ?? 0)
        }
        return ReportOutline(
            id: id, shortID: short, title: report["title"], revision: RevisionID(rawValue: report["revision_id"]),
            sections: sections, removed: report["removed"],
            conflicted: try Bool.fetchOne(db, sql: "SELECT conflicted FROM record WHERE id = ?", arguments: [id.rawValue]) ?? false)
    }

    /// A section's full text, tags and live annotations.
    public func section(_ reference: String) throws -> SectionDetail {
        try read { db in
            let (sectionID, _) = try Self.resolveSection(reference, db)
            return try Self.sectionDetail(sectionID, db)
        }
    }

    static func sectionDetail(_ id: SectionID, _ db: Database) throws -> SectionDetail {
        let length = try ShortIdentifiers.length(db)
        guard let row = try Row.fetchOne(db, sql: """
            SELECT section.*, report.title AS report_title FROM section JOIN report ON report.id = section.report_id
            WHERE section.id = ?
            """, arguments: [id.rawValue])
        else { throw MarginStoreError(.unknownReference(id.rawValue, expected: "sections")) }
        let reportID: String = row["report_id"]
        let number: String = row["outline"]
        let tags = try String.fetchAll(
            db, sql: "SELECT tag FROM section_tag WHERE section_id = ? ORDER BY tag", arguments: [id.rawValue])
        let annotations = try Row.fetchAll(
            db, sql: "SELECT * FROM annotation WHERE section_id = ? AND deleted = 0 ORDER BY created_at, id",
            arguments: [id.rawValue]
        ).map { row in
            // A note that followed its quote here, or whose quote is in several sections, names those sections.
            let view = annotationView(row, shortLength: length)
            return view.movedFrom == nil && view.candidates.isEmpty ? view : try withSectionReference(view, db)
        }
        return SectionDetail(
            reference: "\(ShortIdentifiers.shorten(reportID, length: length))/\(number)", id: id,
            report: RecordID(rawValue: reportID), reportTitle: row["report_title"], number: number,
            level: row["level"], label: row["label"], heading: row["heading"], text: row["text"], tags: tags,
            annotations: annotations)
    }

    static func tagsBySection(report: RecordID, _ db: Database) throws -> [String: [String]] {
        var tags: [String: [String]] = [:]
        for row in try Row.fetchAll(
            db, sql: "SELECT section_id, tag FROM section_tag WHERE report_id = ? ORDER BY tag", arguments: [report.rawValue])
        {
            tags[row["section_id"], default: []].append(row["tag"])
        }
        return tags
    }
}
