import GRDB
import MarginCore

/// One revision of a record, for `margin history`.
public struct HistoryEntry: Sendable, Codable, Equatable {
    /// The local change-log sequence number.
    public var sequence: Int64
    /// The revision.
    public var revision: Revision
    /// A one-line description.
    public var summary: String
    /// True if the revision is one of the record's current heads.
    public var isHead: Bool
    /// What changed since the previous revision in the list, one line per change (filled when asked for).
    public var changes: [String]?
}

extension MarginStore {
    /// The change log, newest first.
    public func changeLog(limit: Int = 20) throws -> [ChangeLogEntry] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM revision ORDER BY seq DESC LIMIT ?
                """, arguments: [max(0, limit)]
            ).map { row in
                let revision = try Revision(row: row)
                return ChangeLogEntry(
                    sequence: row["seq"], revision: revision.id, record: revision.record, kind: revision.kind,
                    origin: revision.origin, author: revision.author, createdAt: revision.createdAt,
                    source: row["source"], summary: RevisionSummary.describe(revision))
            }
        }
    }

    /// Every revision of the record a reference names (a report, an annotation, or a section's tags), oldest first.
    /// With `diff`, each entry lists what changed since the entry before it.
    public func history(of reference: String, diff: Bool = false) throws -> [HistoryEntry] {
        try read { db in
            let records: [RecordID]
            switch try Self.resolve(reference, db) {
            case let .report(id), let .annotation(id):
                records = [id]
            case let .section(section, _):
                records = try String.fetchAll(
                    db, sql: "SELECT DISTINCT record_id FROM revision WHERE kind = 'tag' AND instr(body, ?) > 0",
                    arguments: ["\"section\":\"\(section.rawValue)\""]
                ).map(RecordID.init(rawValue:))
            }
            guard !records.isEmpty else { return [] }
            let placeholders = records.map { _ in "?" }.joined(separator: ", ")
            let rows = try Row.fetchAll(db, sql: """
                SELECT revision.*, instr(record.heads, revision.id) > 0 AS is_head
                FROM revision JOIN record ON record.id = revision.record_id
                WHERE revision.record_id IN (\(placeholders)) ORDER BY revision.seq
                """, arguments: StatementArguments(records.map(\.rawValue)))
            var entries: [HistoryEntry] = []
            var previousByRecord: [RecordID: Revision] = [:]
            for row in rows {
                let revision = try Revision(row: row)
                var changes: [String]?
                if diff {
                    let previous = revision.parents.first.flatMap { parent in
                        try? Revision.fetchAll(db, sql: "SELECT * FROM revision WHERE id = ?", arguments: [parent.rawValue]).first
                    } ?? previousByRecord[revision.record]
                    changes = RevisionDiff.changes(from: previous, to: revision)
                }
                previousByRecord[revision.record] = revision
                entries.append(HistoryEntry(
                    sequence: row["seq"], revision: revision, summary: RevisionSummary.describe(revision),
                    isHead: row["is_head"], changes: changes))
            }
            return entries
        }
    }
}
