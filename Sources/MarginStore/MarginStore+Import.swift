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
    public func importReports(from data: Data, fileName: String) throws -> ImportSummary {
        let parsed: [ParsedReport]
        do {
            parsed = try ReportParser.parse(data: data, fileName: fileName)
        } catch {
            throw MarginStoreError(.parse(error.description))
        }
        return try importReports(parsed, fileName: fileName)
    }

    /// Writes a revision for every parsed report that is new or changed, in one transaction.
    public func importReports(_ parsed: [ParsedReport], fileName: String) throws -> ImportSummary {
        let bodies = ReportBodyBuilder.bodies(for: parsed)
        let peer = self.peer
        return try write { db in
            var imported: [ImportedReport] = []
            for (id, body) in bodies {
                let encoded = BodyCoding.encode(body)
                let current = try String.fetchOne(
                    db,
                    sql: "SELECT revision.body FROM record JOIN revision ON revision.id = record.current_revision WHERE record.id = ?",
                    arguments: [id.rawValue])
                let outcome: ImportedReport.Outcome
                var moved: [AnnotationPlacementChange] = []
                if current == encoded {
                    outcome = .unchanged
                } else {
                    let snapshot = current == nil ? nil : try AnnotationPlacementSnapshot(of: id, db)
                    _ = try RevisionLedger.appendLocal(db, peer: peer, at: self.clock.milliseconds(), record: id, kind: .report, body: encoded)
                    outcome = current == nil ? .created : .revised
                    moved = try snapshot?.changes(db) ?? []
                }
                imported.append(ImportedReport(
                    id: id, title: body.title, sections: body.sections.count, outcome: outcome, annotations: moved))
            }
            let length = try ShortIdentifiers.length(db)
            for index in imported.indices { imported[index].reference = ShortIdentifiers.shorten(imported[index].id.rawValue, length: length) }
            return ImportSummary(file: fileName, reports: imported)
        }
    }
}
