import GRDB
import MarginCore
import ReportParser

extension MarginStore {
    /// The conflict view of report `reference` (edited on two peers), as `margin conflicts` shows it.
    /// - Throws: ``MarginStoreError/Kind/reportNotInConflict(_:)`` when its edits agree.
    public func reportConflict(_ reference: String) throws -> ConflictView {
        try read { db in try Self.reportConflictView(try Self.conflictedReport(reference, db), db) }
    }

    /// Report `reference`'s conflicting edits merged section by section against their common base: what
    /// `margin resolve REPORT --edit` opens, and `--merge` writes when nothing is left for a person.
    public func mergedReport(_ reference: String) throws -> MergedReport {
        try read { db in
            let heads = try Self.orderedHeads(of: try Self.conflictedReport(reference, db), db)
            let base = try RevisionGraph.commonBase(of: heads, db)
            return ReportMerge.merge(
                base: try base.map { try $0.reportBody() },
                sides: try heads.filter { !ReportBody.isRemoved($0.body) }.map { try $0.reportBody() })
        }
    }

    /// Settles a report's conflict by keeping one side (a prefix of its revision id, at least 4 characters): a new
    /// revision with that side's text whose parents are all the conflicting revisions.
    @discardableResult
    public func resolveReportConflict(_ reference: String, keeping revision: String) throws -> ImportedReport {
        try write { db in
            let id = try Self.conflictedReport(reference, db)
            let prefix = revision.lowercased()
            let matches = try Self.orderedHeads(of: id, db).filter { $0.id.rawValue.hasPrefix(prefix) }
            guard prefix.count >= 4, matches.count == 1 else {
                throw MarginStoreError(.notAConflictingRevision(annotation: reference, revision: revision))
            }
            return try writeResolution(id, body: try matches[0].reportBody(), reference: reference, db)
        }
    }

    /// Settles a report's conflict with `report` (a person's merge of the sides, see ``EditedReport``), keeping the
    /// shown side's source. With `seen`, refused when another side arrived after the person's view was read.
    @discardableResult
    public func resolveReportConflict(
        _ reference: String, with report: ParsedReport, since seen: SeenRevisions? = nil
    ) throws -> ImportedReport {
        try write { db in
            try seen?.check(reference: reference, db)
            let id = try Self.conflictedReport(reference, db)
            let source = try Self.orderedHeads(of: id, db)[0].reportBody().source
            return try writeResolution(id, body: ReportBodyBuilder.body(of: report, id: id, source: source), reference: reference, db)
        }
    }

    /// Settles a report's conflict with the section-by-section merge of its sides, when that merge left nothing
    /// for a person.
    /// - Throws: ``MarginStoreError/Kind/mergeNeedsPerson(_:parts:)`` when two sides changed the same part.
    @discardableResult
    public func resolveReportConflictByMerging(_ reference: String) throws -> ImportedReport {
        try write { db in
            let id = try Self.conflictedReport(reference, db)
            let heads = try Self.orderedHeads(of: id, db)
            let base = try RevisionGraph.commonBase(of: heads, db)
            let sides = try heads.filter { !ReportBody.isRemoved($0.body) }
            let merged = ReportMerge.merge(
                base: try base.map { try $0.reportBody() }, sides: try sides.map { try $0.reportBody() })
            guard let body = try merged.body(of: id, source: try heads[0].reportBody().source) else {
                throw MarginStoreError(.mergeNeedsPerson(reference, parts: merged.conflictCount))
            }
            return try writeResolution(id, body: body, reference: reference, db)
        }
    }

    /// Writes the resolution even when its text equals the shown one: its parents are what settles the conflict.
    private func writeResolution(_ id: RecordID, body: ReportBody, reference: String, _ db: Database) throws -> ImportedReport {
        var body = body
        body.removed = false
        let snapshot = try AnnotationPlacementSnapshot(of: id, db)
        _ = try RevisionLedger.appendLocal(
            db, peer: peer, at: clock.milliseconds(), record: id, kind: .report, body: BodyCoding.encode(body))
        var written = ImportedReport(
            id: id, title: body.title, sections: body.sections.count, outcome: .revised, annotations: try snapshot.changes(db))
        written.reference = ShortIdentifiers.shorten(id.rawValue, length: try ShortIdentifiers.length(db))
        return written
    }

    /// Refuses a write that would replace a conflicted report's text (an edit, an import, a removal) while its
    /// sides are open: it would name every side as a parent and so settle the conflict with one side's text,
    /// silently dropping the others'.
    static func refuseWhileInConflict(_ id: RecordID, _ db: Database) throws {
        guard try Bool.fetchOne(db, sql: "SELECT conflicted FROM record WHERE id = ?", arguments: [id.rawValue]) == true else {
            return
        }
        throw MarginStoreError(.reportInConflict(ShortIdentifiers.shorten(id.rawValue, length: try ShortIdentifiers.length(db))))
    }

    /// The report `reference` names, which must be in conflict.
    private static func conflictedReport(_ reference: String, _ db: Database) throws -> RecordID {
        let resolved = try resolve(reference, db)
        guard case let .report(id) = resolved else {
            throw MarginStoreError(.wrongReferenceKind(reference, expected: "report", actual: resolved.kindName))
        }
        guard try Bool.fetchOne(db, sql: "SELECT conflicted FROM record WHERE id = ?", arguments: [id.rawValue]) == true else {
            throw MarginStoreError(.reportNotInConflict(reference))
        }
        return id
    }

    private static func orderedHeads(of id: RecordID, _ db: Database) throws -> [Revision] {
        try RevisionLedger.headRevisions(of: id, db).sorted(by: MergeRules.isPreferred)
    }

    static func reportConflictView(_ id: RecordID, _ db: Database) throws -> ConflictView {
        let length = try ShortIdentifiers.length(db)
        let heads = try RevisionLedger.headRevisions(of: id, db)
        let base = try RevisionGraph.commonBase(of: heads, db)
        let resolution = MergeRules.resolve(heads: heads, base: base)
        let baseBody = try base.map { try $0.reportBody() }
        let baseText = baseBody.map(Self.editableText) ?? ""
        let shown = try resolution.winner.reportBody()
        func side(_ revision: Revision) throws -> ConflictSide {
            let body = try revision.reportBody()
            let text = Self.editableText(body)
            let span = DifferingSpan.of(text, against: baseText)
            return ConflictSide(
                revision: revision.id, shortRevision: String(revision.id.rawValue.prefix(8)), author: revision.author,
                createdAt: revision.createdAt, text: text, deleted: body.removed,
                differenceStart: span.start, differenceEnd: span.end,
                changed: baseBody.map { ReportChanges.list(of: body, against: $0) })
        }
        let reference = ShortIdentifiers.shorten(id.rawValue, length: length)
        return ConflictView(
            kind: .report, annotation: id, shortID: reference, sectionID: nil, section: nil, report: id,
            reportReference: reference, reportTitle: shown.title, heading: "", shown: resolution.winner.id,
            base: try base.map(side), sides: try resolution.heads.map(side))
    }

    private static func editableText(_ body: ReportBody) -> String {
        EditedReport.text(title: body.title, sectionTexts: body.sections.map(\.text))
    }
}

/// What one version of a report changed from another, in a person's words.
enum ReportChanges {
    /// `title`, then each section added (`(added)`), changed, or dropped (`(dropped)`), as `NUMBER LABELHEADING`.
    static func list(of body: ReportBody, against base: ReportBody) -> [String] {
        var changes = body.title == base.title ? [] : ["title"]
        let baseTexts = Dictionary(base.sections.map { ($0.id, $0.text) }, uniquingKeysWith: { first, _ in first })
        let kept = Set(body.sections.map(\.id))
        for (section, number) in zip(body.sections, SectionOutline.numbers(for: body.sections)) {
            switch baseTexts[section.id] {
            case nil: changes.append(name(section, number) + " (added)")
            case section.text?: break
            default: changes.append(name(section, number))
            }
        }
        for (section, number) in zip(base.sections, SectionOutline.numbers(for: base.sections)) where !kept.contains(section.id) {
            changes.append(name(section, number) + " (dropped)")
        }
        return changes
    }

    private static func name(_ section: SectionBody, _ number: String) -> String {
        section.level == 0 ? "\(number) (opening text)" : "\(number) \(section.label)\(section.heading)"
    }
}
