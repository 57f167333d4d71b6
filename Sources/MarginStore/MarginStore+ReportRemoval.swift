import GRDB
import MarginCore

/// What removing a report, or bringing one back, did.
public struct ReportRemoval: Sendable, Codable, Equatable {
    /// The report's identity.
    public var id: RecordID
    /// The short identity a person types.
    public var reference: String
    /// The report's title.
    public var title: String
    /// Whether the report is removed now.
    public var removed: Bool
    /// False when the report already was as asked: nothing was written.
    public var changed: Bool
    /// The report's live notes: they stay (`margin notes` lists them) and come back with the report.
    public var notes: Int
    /// How many of its sections carry tags.
    public var taggedSections: Int
}

extension MarginStore {
    /// Removes report `id`: a new revision of the report, its text kept and marked removed, which syncs like any
    /// other. The report leaves the report list and `find`; its text, history and notes read on, and
    /// ``restoreReport(_:)`` (or importing its file again) brings it back. On a peer where someone edited the report
    /// meanwhile, the edit wins and the report stays (see ``MergeRules``).
    ///
    /// Removing a removed report writes nothing.
    /// - Throws: ``MarginStoreError/Kind/unknownReference(_:expected:)`` when the store has no such report.
    public func removeReport(_ id: RecordID) throws -> ReportRemoval {
        try markReport(id, removed: true)
    }

    /// Brings back report `id` after ``removeReport(_:)``, with the text it had; bringing back a report that is
    /// not removed writes nothing.
    /// - Throws: ``MarginStoreError/Kind/unknownReference(_:expected:)`` when the store has no such report.
    public func restoreReport(_ id: RecordID) throws -> ReportRemoval {
        try markReport(id, removed: false)
    }

    private func markReport(_ id: RecordID, removed: Bool) throws -> ReportRemoval {
        let peer = self.peer
        return try write { db in
            guard let current = try String.fetchOne(db, sql: """
                SELECT revision.body FROM report JOIN revision ON revision.id = report.revision_id WHERE report.id = ?
                """, arguments: [id.rawValue])
            else { throw MarginStoreError(.unknownReference(id.rawValue, expected: "reports")) }
            var body = try BodyCoding.decode(ReportBody.self, from: current, kind: .report)
            let changed = body.removed != removed
            if changed {
                try Self.refuseWhileInConflict(id, db)
                body.removed = removed
                _ = try RevisionLedger.appendLocal(
                    db, peer: peer, at: self.clock.milliseconds(), record: id, kind: .report,
                    body: BodyCoding.encode(body, keepingUnknownFieldsOf: current))
            }
            let notes = try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM annotation WHERE report_id = ? AND deleted = 0", arguments: [id.rawValue]) ?? 0
            let tagged = try Int.fetchOne(
                db, sql: """
                    SELECT COUNT(DISTINCT section_tag.section_id) FROM section_tag
                    JOIN stored_section ON stored_section.id = section_tag.section_id AND stored_section.report_id = ?1
                    WHERE section_tag.report_id = ?1
                    """,
                arguments: [id.rawValue]) ?? 0
            return ReportRemoval(
                id: id, reference: ShortIdentifiers.shorten(id.rawValue, length: try ShortIdentifiers.length(db)),
                title: body.title, removed: removed, changed: changed, notes: notes, taggedSections: tagged)
        }
    }
}
