import Foundation
import GRDB
import MarginCore
import ReportParser

/// What importing one file did.
public struct ImportSummary: Sendable, Codable, Equatable {
    /// The file's name as given.
    public var file: String
    /// One entry per report found in the file.
    public var reports: [ImportedReport]
    /// How many new revisions the import wrote (0 when nothing changed).
    public var newRevisions: Int { reports.filter { $0.outcome != .unchanged }.count }
    /// How many sections the file's reports have in all.
    public var sections: Int { reports.reduce(0) { $0 + $1.sections } }
    /// Reports that came from a file of this name before and that this import did not revise: after a title
    /// changed, the new title is a new report, and its earlier version is here (`--as` makes a text its revision).
    public var earlierReports: [EarlierReport] = []
}

/// A report an earlier import of the same file made, which this import did not match.
public struct EarlierReport: Sendable, Codable, Equatable {
    /// The report's identity.
    public var id: RecordID
    /// The short identity a person types.
    public var reference: String
    /// The report's current title.
    public var title: String
}

/// One report of an import.
public struct ImportedReport: Sendable, Codable, Equatable {
    /// What happened to a report on import.
    public enum Outcome: String, Sendable, Codable {
        /// The report was new to the store.
        case created
        /// The report existed and its text changed: a new revision was written.
        case revised
        /// The report existed with exactly this text: nothing was written.
        case unchanged
    }
    /// The report's identity.
    public var id: RecordID
    /// The short identity a person types.
    public var reference: String = ""
    /// The report's title.
    public var title: String
    /// How many sections it has.
    public var sections: Int
    /// What the import did.
    public var outcome: Outcome
    /// For a revised report: the annotations whose anchors the new text moved, orphaned or restored.
    public var annotations: [AnnotationPlacementChange] = []
    /// For a report edited since its file was last imported: what the import did with those edits (absent when
    /// nothing was edited meanwhile, or the file replaced them).
    public var laterEdits: LaterEdits?

    /// What an import did with edits made since its file was last imported.
    public enum LaterEdits: String, Sendable, Codable {
        /// The file holds no change of its own since then (or an earlier revision's text): nothing was written,
        /// the later edits stand.
        case kept
        /// The file's changes and the later edits touched different parts: both are in the new revision.
        case merged
    }

    /// The annotations the new text re-anchored elsewhere.
    public var reanchored: [AnnotationPlacementChange] { annotations.filter { $0.change == .reanchored } }
    /// The annotations the new text orphaned.
    public var orphaned: [AnnotationPlacementChange] { annotations.filter { $0.change == .orphaned } }
}

extension MarginStore {
    /// Parses a report file and writes a revision for every report that is new or changed, in one transaction.
    ///
    /// Importing the same text again writes nothing. A file that cannot be parsed writes nothing.
    /// - Throws: ``MarginStoreError/Kind/parse(_:)`` naming the file when it is empty, binary or has no report.
    /// A report edited since the file was last imported keeps those edits (see
    /// ``importReports(_:fileName:replacingLaterEdits:)``).
    public func importReports(from data: Data, fileName: String, replacingLaterEdits: Bool = false) throws -> ImportSummary {
        let parsed: [ParsedReport]
        do {
            parsed = try ReportParser.parse(data: data, fileName: fileName)
        } catch {
            throw MarginStoreError(.parse(error.description))
        }
        return try importReports(parsed, fileName: fileName, replacingLaterEdits: replacingLaterEdits)
    }

    /// Writes a revision for every parsed report that is new or changed, in one transaction.
    ///
    /// Each report revises the record its source names, else an older record of its title (see
    /// ``ReportIdentities``), else a new record whose identity derives from the file's name, title and occurrence.
    ///
    /// A report edited since the file was last imported (here or on another peer) keeps those edits: a file without
    /// changes of its own since then writes nothing, and a file's changes to other parts than the edits are merged
    /// with them. With `replacingLaterEdits`, the file's text is written as it is.
    /// - Throws: ``MarginStoreError/Kind/importClashes(report:file:parts:)`` when the file changed a part that was
    ///   also edited since; nothing of the file is written.
    public func importReports(
        _ parsed: [ParsedReport], fileName: String, replacingLaterEdits: Bool = false
    ) throws -> ImportSummary {
        try write { db in try importReports(parsed, fileName: fileName, replacingLaterEdits: replacingLaterEdits, db) }
    }

    /// ``importReports(_:fileName:replacingLaterEdits:)`` in the caller's transaction.
    func importReports(
        _ parsed: [ParsedReport], fileName: String, replacingLaterEdits: Bool, _ db: Database
    ) throws -> ImportSummary {
        let sources = ReportBodyBuilder.sources(for: parsed, fileName: fileName)
        var imported: [ImportedReport] = []
        var taken: Set<RecordID> = []
        for (report, source) in zip(parsed, sources) {
            let match = try ReportIdentities.match(report, from: source, excluding: taken, db)
            taken.insert(match.id)
            let body = ReportBodyBuilder.body(of: report, id: match.id, source: source)
            var sourceless = body
            sourceless.source = nil
            imported.append(try importReport(
                match.id, body: body, sameAs: match == .legacy(match.id) ? sourceless : nil,
                replacing: replacingLaterEdits, db))
        }
        let length = try ShortIdentifiers.length(db)
        for index in imported.indices { imported[index].reference = ShortIdentifiers.shorten(imported[index].id.rawValue, length: length) }
        var summary = ImportSummary(file: fileName, reports: imported)
        if imported.contains(where: { $0.outcome == .created }) {
            summary.earlierReports = try ReportIdentities.reports(fromFile: ReportSource.fileName(of: fileName), db)
                .filter { !taken.contains($0.id) }
                .map { EarlierReport(id: $0.id, reference: ShortIdentifiers.shorten($0.id.rawValue, length: length), title: $0.title) }
        }
        return summary
    }

    /// Makes the one report of a file (`parsed`, its reports) the next revision of `report` (a report's identity), whatever its title: for
    /// a text whose title changed, or a report the file's name does not lead to. Its source becomes this file, so
    /// importing the file again revises the same report.
    /// - Throws: ``MarginStoreError/Kind/notOneReport(file:count:)`` when the file holds several reports;
    ///   ``MarginStoreError/Kind/unknownReference(_:expected:)`` when `report` is not a report of the store.
    public func importReport(
        _ parsed: [ParsedReport], fileName: String, as report: RecordID, replacingLaterEdits: Bool = false
    ) throws -> ImportSummary {
        try write { db in try importReport(parsed, fileName: fileName, as: report, replacingLaterEdits: replacingLaterEdits, db) }
    }

    /// ``importReport(_:fileName:as:replacingLaterEdits:)`` in the caller's transaction.
    func importReport(
        _ parsed: [ParsedReport], fileName: String, as report: RecordID, replacingLaterEdits: Bool, _ db: Database
    ) throws -> ImportSummary {
        guard parsed.count == 1 else { throw MarginStoreError(.notOneReport(file: fileName, count: parsed.count)) }
        let source = ReportBodyBuilder.sources(for: parsed, fileName: fileName)[0]
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM report WHERE id = ?", arguments: [report.rawValue]) == true else {
            throw MarginStoreError(.unknownReference(report.rawValue, expected: "reports"))
        }
        var imported = try importReport(
            report, body: ReportBodyBuilder.body(of: parsed[0], id: report, source: source), replacing: replacingLaterEdits, db)
        imported.reference = ShortIdentifiers.shorten(report.rawValue, length: try ShortIdentifiers.length(db))
        return ImportSummary(file: fileName, reports: [imported])
    }

    /// Writes what an import of `body` (a file's text) brings to record `id` (``ImportBase``), and notes the text.
    private func importReport(
        _ id: RecordID, body: ReportBody, sameAs: ReportBody? = nil, replacing: Bool, _ db: Database
    ) throws -> ImportedReport {
        var imported: ImportedReport
        let plan = try ImportBase.plan(id, file: body, replacing: replacing, db)
        switch plan {
        case .keep:
            imported = ImportedReport(id: id, title: body.title, sections: body.sections.count, outcome: .unchanged)
            imported.laterEdits = .kept
        case let .write(written, laterEdits):
            imported = try writeReport(id, body: written, sameAs: laterEdits == nil ? sameAs : nil, db)
            imported.laterEdits = laterEdits
        }
        try ImportBase.record(id, file: body, after: plan, db)
        return imported
    }

    /// Writes `body` as the next revision of record `id`, unless its current body is `body` already (or
    /// `sameAs`, a body that counts as the same text), and says which annotations the new text moved.
    func writeReport(_ id: RecordID, body: ReportBody, sameAs: ReportBody? = nil, _ db: Database) throws -> ImportedReport {
        let encoded = BodyCoding.encode(body)
        let current = try String.fetchOne(
            db,
            sql: "SELECT revision.body FROM record JOIN revision ON revision.id = record.current_revision WHERE record.id = ?",
            arguments: [id.rawValue])
        let outcome: ImportedReport.Outcome
        var moved: [AnnotationPlacementChange] = []
        if current == encoded || (sameAs != nil && current == sameAs.map(BodyCoding.encode)) {
            outcome = .unchanged
        } else {
            if current != nil { try Self.refuseWhileInConflict(id, db) }
            let snapshot = current == nil ? nil : try AnnotationPlacementSnapshot(of: id, db)
            _ = try RevisionLedger.appendLocal(db, peer: peer, at: clock.milliseconds(), record: id, kind: .report, body: encoded)
            outcome = current == nil ? .created : .revised
            moved = try snapshot?.changes(db) ?? []
        }
        return ImportedReport(id: id, title: body.title, sections: body.sections.count, outcome: outcome, annotations: moved)
    }
}
