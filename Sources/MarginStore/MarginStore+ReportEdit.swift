import GRDB
import MarginCore
import ReportParser

extension MarginStore {
    /// The current body of report `id`: its title, sections and source.
    /// - Throws: ``MarginStoreError/Kind/unknownReference(_:expected:)`` when the store has no such report.
    public func reportBody(_ id: RecordID) throws -> ReportBody {
        try read { db in
            guard let body = try String.fetchOne(db, sql: """
                SELECT revision.body FROM report JOIN revision ON revision.id = report.revision_id WHERE report.id = ?
                """, arguments: [id.rawValue])
            else { throw MarginStoreError(.unknownReference(id.rawValue, expected: "reports")) }
            return try BodyCoding.decode(ReportBody.self, from: body, kind: .report)
        }
    }

    /// Makes `report` (a person's edit of report `id`'s text, see ``EditedReport``) the report's next revision, in
    /// one transaction, keeping the source it was imported from. Annotations re-anchor as on a re-import; the
    /// result lists those the new text moved, orphaned or restored. Text equal to the current one writes nothing.
    /// `seen`, when given, is what the edit was made from (see ``SeenRevisions``): the edit is refused when the
    /// report changed since.
    /// With `refusingReversions` (a text made away from the store, e.g. a file, whose starting point is unknown),
    /// the edit is refused when it puts back what a part said before another peer's later edit of it.
    /// - Throws: ``MarginStoreError/Kind/unknownReference(_:expected:)`` when the store has no such report;
    ///   ``MarginStoreError/Kind/changedMeanwhile(_:)`` when it changed since `seen`;
    ///   ``MarginStoreError/Kind/revertsLaterEdits(report:parts:)`` for such a reversion.
    public func reviseReport(
        _ id: RecordID, with report: ParsedReport, since seen: SeenRevisions? = nil, refusingReversions: Bool = false
    ) throws -> ImportedReport {
        try write { db in
            let reference = ShortIdentifiers.shorten(id.rawValue, length: try ShortIdentifiers.length(db))
            try seen?.check(reference: reference, db)
            guard let head = try Revision.fetchAll(db, sql: """
                SELECT revision.* FROM report JOIN revision ON revision.id = report.revision_id WHERE report.id = ?
                """, arguments: [id.rawValue]).first
            else { throw MarginStoreError(.unknownReference(id.rawValue, expected: "reports")) }
            let current = try head.reportBody()
            let body = ReportBodyBuilder.body(of: report, id: id, source: current.source)
            if refusingReversions {
                // A conflict is the first thing to settle, whatever the text puts back.
                if !body.hasSameText(as: current) { try Self.refuseWhileInConflict(id, db) }
                let parts = try LaterEditReversions.parts(of: body, against: head, peer: peer.id, db)
                if !parts.isEmpty { throw MarginStoreError(.revertsLaterEdits(report: reference, parts: parts)) }
            }
            var revised = try writeReport(id, body: body, db)
            revised.reference = ShortIdentifiers.shorten(id.rawValue, length: try ShortIdentifiers.length(db))
            return revised
        }
    }
}
