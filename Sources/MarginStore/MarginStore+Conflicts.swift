import Foundation
import GRDB
import MarginCore

/// A record whose concurrent edits a person must settle, as every peer shows it: an annotation whose edits could
/// not be merged, or a report edited on two peers (see ``ReportMerge``).
///
/// In JSON: `kind` is `annotation` or `report`; `id` and `reference` name the record; for an annotation,
/// `section` and `sectionReference` its section, `report` and `reportReference` its report (absent when not in
/// the store). A report's sides hold its whole text as `margin edit` shows it, and the sections each side changed.
public struct ConflictView: Sendable, Codable, Equatable {
    /// What kind of record is in conflict.
    public var kind: RecordKind
    /// The record (`id` in JSON); named for the usual case.
    public var annotation: RecordID
    /// Its short identity (`reference` in JSON).
    public var shortID: String
    /// The section's identity (`section` in JSON).
    public var sectionID: SectionID?
    /// The section it is on, e.g. `3f9a/2.1`, or nil when the section is gone (`sectionReference` in JSON).
    public var section: String?
    /// The report's identity.
    public var report: RecordID?
    /// The report's short identity, e.g. `3f9a`, or nil when the report is not in the store.
    public var reportReference: String?
    /// The report's title.
    public var reportTitle: String
    /// The section's numbering and heading.
    public var heading: String
    /// The revision whose text is shown meanwhile (the same on every peer).
    public var shown: RevisionID
    /// The common ancestor of the conflicting revisions, when known.
    public var base: ConflictSide?
    /// The conflicting revisions, the shown one first.
    public var sides: [ConflictSide]

    enum CodingKeys: String, CodingKey {
        case kind, annotation = "id", shortID = "reference", sectionID = "section", section = "sectionReference"
        case report, reportReference, reportTitle, heading, shown, base, sides
    }
}

/// One version in a conflict.
///
/// In JSON: `id` is the revision's full identity and `reference` its short form; `createdAt` is an ISO 8601 time.
public struct ConflictSide: Sendable, Codable, Equatable {
    /// The revision (`id` in JSON).
    public var revision: RevisionID
    /// Its short form, to type after `--keep` (`reference` in JSON).
    public var shortRevision: String
    /// Who wrote it.
    public var author: String
    /// When (milliseconds since 1970; an ISO 8601 string in JSON).
    @TimestampCoded public var createdAt: Int64
    /// Its text (empty for a delete).
    public var text: String
    /// True when this side deleted the annotation.
    public var deleted: Bool
    /// Where this side's text differs from the base: Unicode scalar offsets into ``text``.
    public var differenceStart: Int
    /// The end of the differing span.
    public var differenceEnd: Int
    /// For a report's side: what it changed from the base, e.g. `title` or `2 二、师资建设` (a section's number
    /// on this side, then its heading); nil for an annotation's.
    public var changed: [String]?

    enum CodingKeys: String, CodingKey {
        case revision = "id", shortRevision = "reference", author, createdAt, text, deleted, differenceStart
        case differenceEnd, changed
    }
}

extension MarginStore {
    /// Every open conflict, ordered by report title, section and annotation.
    public func conflicts() throws -> [ConflictView] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT id, kind FROM record WHERE conflicted = 1 ORDER BY id")
            return try rows.map { row in
                let id = RecordID(rawValue: row["id"])
                return try RecordKind(rawValue: row["kind"]) == .report
                    ? Self.reportConflictView(id, db) : Self.conflictView(id, db)
            }
                .sorted { ($0.reportTitle, $0.section ?? "", $0.annotation) < ($1.reportTitle, $1.section ?? "", $1.annotation) }
        }
    }

    /// Resolves a conflict by keeping one of the conflicting revisions (a prefix of its id).
    /// The resolution is a new revision whose parents are all the conflicting revisions.
    @discardableResult
    public func resolveConflict(_ reference: String, keeping revision: String) throws -> AnnotationView {
        try resolveConflict(reference) { heads in
            let prefix = revision.lowercased()
            let matches = heads.filter { $0.id.rawValue.hasPrefix(prefix) }
            guard prefix.count >= 4, matches.count == 1 else {
                throw MarginStoreError(.notAConflictingRevision(annotation: reference, revision: revision))
            }
            return matches[0].body
        }
    }

    /// Resolves a conflict with new text (for example, both sides merged by hand). With `seen` (the revisions the
    /// sides shown to the person came from, see ``SeenRevisions``), the resolution is refused when another side
    /// arrived meanwhile: it would settle a side nobody saw.
    @discardableResult
    public func resolveConflict(_ reference: String, text: String, since seen: SeenRevisions? = nil) throws -> AnnotationView {
        let merged = text.trimmingWhiteSpace()
        guard !merged.isEmpty else { throw MarginStoreError(.emptyText) }
        return try resolveConflict(reference, since: seen) { heads in
            let bodies = try heads.map { try BodyCoding.decode(AnnotationBody.self, from: $0.body, kind: .annotation) }
            let kept = bodies.firstIndex { !$0.deleted } ?? 0
            var body = bodies[kept]
            body.text = merged
            body.deleted = false
            return BodyCoding.encode(body, keepingUnknownFieldsOf: heads[kept].body)
        }
    }

    private func resolveConflict(
        _ reference: String, since seen: SeenRevisions? = nil, body: ([Revision]) throws -> String
    ) throws -> AnnotationView {
        let peer = self.peer
        return try write { db in
            try seen?.check(reference: reference, db)
            let id = try Self.resolveAnnotation(reference, db)
            guard try Bool.fetchOne(db, sql: "SELECT conflicted FROM record WHERE id = ?", arguments: [id.rawValue]) == true else {
                throw MarginStoreError(.notInConflict(reference))
            }
            let heads = try RevisionLedger.headRevisions(of: id, db).sorted(by: MergeRules.isPreferred)
            _ = try RevisionLedger.appendLocal(db, peer: peer, at: self.clock.milliseconds(), record: id, kind: .annotation, body: try body(heads))
            return try Self.annotationView(id, db)
        }
    }

    /// The conflict view of one annotation, as `margin conflicts` and `margin resolve --edit` show it.
    public func conflict(_ reference: String) throws -> ConflictView {
        try read { db in
            let id = try Self.resolveAnnotation(reference, db)
            guard try Bool.fetchOne(db, sql: "SELECT conflicted FROM record WHERE id = ?", arguments: [id.rawValue]) == true else {
                throw MarginStoreError(.notInConflict(reference))
            }
            return try Self.conflictView(id, db)
        }
    }

    static func conflictView(_ id: RecordID, _ db: Database) throws -> ConflictView {
        let length = try ShortIdentifiers.length(db)
        let heads = try RevisionLedger.headRevisions(of: id, db)
        let base = try RevisionGraph.commonBase(of: heads, db)
        let resolution = MergeRules.resolve(heads: heads, base: base)
        let baseText = try base.map { try BodyCoding.decode(AnnotationBody.self, from: $0.body, kind: .annotation).text } ?? ""
        let row = try Row.fetchOne(db, sql: """
            SELECT annotation.report_id, annotation.section_id, section.outline, section.label, section.heading, report.title
            FROM annotation LEFT JOIN section ON section.id = annotation.section_id
            LEFT JOIN report ON report.id = annotation.report_id WHERE annotation.id = ?
            """, arguments: [id.rawValue])
        let reportID: String = row?["report_id"] ?? ""
        let sectionID: String? = row?["section_id"]
        let outline: String? = row?["outline"]
        let reportPresent = (row?["title"] as String?) != nil
        func side(_ revision: Revision) throws -> ConflictSide {
            let body = try BodyCoding.decode(AnnotationBody.self, from: revision.body, kind: .annotation)
            let span = DifferingSpan.of(body.text, against: baseText)
            return ConflictSide(
                revision: revision.id, shortRevision: String(revision.id.rawValue.prefix(8)), author: revision.author,
                createdAt: revision.createdAt, text: body.text, deleted: body.deleted,
                differenceStart: span.start, differenceEnd: span.end, changed: nil)
        }
        return ConflictView(
            kind: .annotation, annotation: id, shortID: ShortIdentifiers.shorten(id.rawValue, length: length),
            sectionID: sectionID.map(SectionID.init(rawValue:)),
            section: outline.map { "\(ShortIdentifiers.shorten(reportID, length: length))/\($0)" },
            report: reportID.isEmpty ? nil : RecordID(rawValue: reportID),
            reportReference: reportPresent ? ShortIdentifiers.shorten(reportID, length: length) : nil,
            reportTitle: row?["title"] ?? "(report not yet received)",
            heading: ((row?["label"] as String?) ?? "") + ((row?["heading"] as String?) ?? ""),
            shown: resolution.winner.id, base: try base.map(side), sides: try resolution.heads.map(side))
    }
}

/// The span of a text that differs from a base: what remains after removing the longest common prefix and suffix.
public enum DifferingSpan {
    /// Unicode scalar offsets into `text`.
    public static func of(_ text: String, against base: String) -> (start: Int, end: Int) {
        let changed = Array(text.unicodeScalars)
        let original = Array(base.unicodeScalars)
        var prefix = 0
        while prefix < changed.count, prefix < original.count, changed[prefix] == original[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < changed.count - prefix, suffix < original.count - prefix,
            changed[changed.count - 1 - suffix] == original[original.count - 1 - suffix]
        { suffix += 1 }
        return (prefix, changed.count - suffix)
    }
}

extension MarginStore {
    /// Annotations whose quote could not be placed in their section's current text (or whose section is gone),
    /// oldest first. They are kept with their old quote until re-anchored.
    public func orphanedAnnotations() throws -> [AnnotationView] {
        try read { db in
            let length = try ShortIdentifiers.length(db)
            return try Row.fetchAll(
                db, sql: "SELECT * FROM annotation WHERE anchor_status = 'orphaned' AND deleted = 0 ORDER BY created_at, id"
            ).map { Self.annotationView($0, shortLength: length) }
            .map { try Self.withSectionReference($0, db) }
        }
    }
}
