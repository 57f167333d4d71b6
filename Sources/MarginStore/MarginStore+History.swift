import GRDB
import MarginCore

/// One revision of a record, for `margin history`.
///
/// In JSON it has fields of its own (the wire form of a revision is the sync protocol's, not this): `id` is the
/// revision, `record` and `reference` name the record (see ``ChangeLogEntry``), and times are ISO 8601.
public struct HistoryEntry: Sendable, Encodable, Equatable {
    /// The local change-log sequence number.
    public var sequence: Int64
    /// The revision.
    public var revision: Revision
    /// What a person types for the record (for a tag, its section's reference), if anything.
    public var reference: String?
    /// The section an annotation or tag revision is about, and its reference.
    public var section: SectionID?
    /// The section's reference, e.g. `3f9a/2.1`.
    public var sectionReference: String?
    /// The tag, for tag revisions.
    public var tag: String?
    /// `local`, or the remote the revision was received from.
    public var source: String
    /// A one-line description.
    public var summary: String
    /// True if the revision is one of its record's heads (several while concurrent edits are unmerged).
    public var isHead: Bool
    /// True if the revision is its record's current version, the one `show` shows. A section's tag history spans
    /// one record per tag, so it has one current revision per tag.
    public var isCurrent: Bool
    /// What changed since the previous revision in the list, one line per change (filled when asked for).
    public var changes: [String]?
    /// Who vouches for the revision: this store, a verified key and its account, or nobody yet.
    public var signer: RevisionSigner

    enum CodingKeys: String, CodingKey {
        case sequence, id, record, reference, kind, section, sectionReference, tag, parents, origin, counter, clock
        case author, signer, createdAt, source, summary, isHead, isCurrent, changes
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(sequence, forKey: .sequence)
        try container.encode(revision.id, forKey: .id)
        try container.encode(revision.record, forKey: .record)
        try container.encodeIfPresent(reference, forKey: .reference)
        try container.encode(revision.kind, forKey: .kind)
        try container.encodeIfPresent(section, forKey: .section)
        try container.encodeIfPresent(sectionReference, forKey: .sectionReference)
        try container.encodeIfPresent(tag, forKey: .tag)
        try container.encode(revision.parents, forKey: .parents)
        try container.encode(revision.origin, forKey: .origin)
        try container.encode(revision.counter, forKey: .counter)
        try container.encode(revision.clock, forKey: .clock)
        try container.encode(revision.author, forKey: .author)
        try container.encode(signer, forKey: .signer)
        try container.encode(Timestamp(milliseconds: revision.createdAt), forKey: .createdAt)
        try container.encode(source, forKey: .source)
        try container.encode(summary, forKey: .summary)
        try container.encode(isHead, forKey: .isHead)
        try container.encode(isCurrent, forKey: .isCurrent)
        try container.encodeIfPresent(changes, forKey: .changes)
    }
}

/// Which change-log entries to list.
public struct ChangeLogFilter: Sendable, Equatable {
    /// A report, section or annotation reference: only revisions of its records (a report's own, its sections'
    /// tags and its annotations; a section's tags and annotations; an annotation's).
    public var reference: String?
    /// Only revisions by this author.
    public var author: String?
    /// Only revisions made at or after this time.
    public var since: Timestamp?

    /// A filter; with no arguments, everything.
    public init(reference: String? = nil, author: String? = nil, since: Timestamp? = nil) {
        self.reference = reference
        self.author = author
        self.since = since
    }
}

extension MarginStore {
    /// The change log, newest first, at most `limit` entries that pass `filter`.
    public func changeLog(limit: Int = 20, filter: ChangeLogFilter = ChangeLogFilter()) throws -> [ChangeLogEntry] {
        var signers = try SignerLookup(store: self)
        return try read { db in
            var conditions: [String] = []
            var arguments: [(any DatabaseValueConvertible)?] = []
            if let author = filter.author {
                conditions.append("author = ?")
                arguments.append(author)
            }
            if let since = filter.since {
                conditions.append("created_at >= ?")
                arguments.append(since.milliseconds)
            }
            if let reference = filter.reference {
                let scope = try Self.logScope(of: try Self.resolve(reference, db))
                conditions.append(scope.sql)
                arguments += scope.arguments
            }
            let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM revision \(whereClause) ORDER BY seq DESC LIMIT ?",
                arguments: StatementArguments(arguments + [max(0, limit)]))
            var references = try RecordReferences(db)
            return try rows.map { row in
                let revision = try Revision(row: row)
                let about = try Self.describe(revision, &references, db)
                return ChangeLogEntry(
                    sequence: row["seq"], revision: revision.id, record: revision.record,
                    reference: about.reference, kind: revision.kind, section: about.section,
                    sectionReference: about.sectionReference, tag: about.tag, origin: revision.origin,
                    author: revision.author, createdAt: Timestamp(milliseconds: revision.createdAt),
                    source: row["source"], summary: about.summary, signer: try signers.signer(of: revision, db))
            }
        }
    }

    /// Every revision of the record a reference names (a report, an annotation, or a section's tags), oldest first.
    /// A revision id (or a unique prefix of one, as `margin log` prints) and a record's full id name that record.
    /// With `diff`, each entry lists what changed since the entry before it.
    public func history(of reference: String, diff: Bool = false) throws -> [HistoryEntry] {
        var signers = try SignerLookup(store: self)
        return try read { db in
            let records = try Self.historyRecords(reference, db)
            guard !records.isEmpty else { return [] }
            let placeholders = records.map { _ in "?" }.joined(separator: ", ")
            let rows = try Row.fetchAll(db, sql: """
                SELECT revision.*, instr(record.heads, revision.id) > 0 AS is_head,
                    record.current_revision = revision.id AS is_current
                FROM revision JOIN record ON record.id = revision.record_id
                WHERE revision.record_id IN (\(placeholders)) ORDER BY revision.seq
                """, arguments: StatementArguments(records.map(\.rawValue)))
            var references = try RecordReferences(db)
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
                let about = try Self.describe(revision, &references, db)
                entries.append(HistoryEntry(
                    sequence: row["seq"], revision: revision, reference: about.reference, section: about.section,
                    sectionReference: about.sectionReference, tag: about.tag, source: row["source"],
                    summary: about.summary, isHead: row["is_head"], isCurrent: row["is_current"], changes: changes,
                    signer: try signers.signer(of: revision, db)))
            }
            return entries
        }
    }

    // MARK: - Helpers

    /// What the log and history say about a revision besides its own fields.
    private struct RevisionContext {
        var reference: String?
        var section: SectionID?
        var sectionReference: String?
        var tag: String?
        var summary: String
    }

    private static func describe(_ revision: Revision, _ references: inout RecordReferences, _ db: Database) throws -> RevisionContext {
        var context = RevisionContext(
            reference: try references.reference(of: revision.record, kind: revision.kind, body: revision.body, db),
            summary: "")
        switch revision.kind {
        case .tag:
            if let body = try? BodyCoding.decode(TagBody.self, from: revision.body, kind: .tag) {
                context.section = body.section
                context.sectionReference = try references.section(body.section, db)
                context.tag = body.tag
            }
        case .annotation:
            if let body = try? BodyCoding.decode(AnnotationBody.self, from: revision.body, kind: .annotation) {
                context.section = body.section
                context.sectionReference = try references.section(body.section, db)
            }
        default:
            break
        }
        context.summary = RevisionSummary.describe(revision, sectionReference: context.sectionReference)
        return context
    }

    /// The SQL condition that keeps a reference's revisions in the change log.
    private static func logScope(of resolved: ResolvedReference) throws -> (sql: String, arguments: [(any DatabaseValueConvertible)?]) {
        // `instr` finds the few candidate bodies cheaply; `json_extract` then checks the field exactly.
        switch resolved {
        case let .report(id):
            return ("""
                (record_id = ? OR (kind IN ('annotation', 'tag') AND instr(body, ?) > 0
                    AND json_extract(body, '$.report') = ?))
                """, [id.rawValue, id.rawValue, id.rawValue])
        case let .section(section, _):
            return ("""
                (kind IN ('annotation', 'tag') AND instr(body, ?) > 0 AND json_extract(body, '$.section') = ?)
                """, [section.rawValue, section.rawValue])
        case let .annotation(id):
            return ("record_id = ?", [id.rawValue])
        }
    }

    /// The records whose history a reference asks for.
    private static func historyRecords(_ reference: String, _ db: Database) throws -> [RecordID] {
        let resolved: ResolvedReference
        do {
            resolved = try resolve(reference, db)
        } catch let error as MarginStoreError {
            guard case .unknownReference = error.kind, let record = try recordOfRevisionOrRecordID(reference, db) else { throw error }
            return [record]
        }
        switch resolved {
        case let .report(id), let .annotation(id):
            return [id]
        case let .section(section, _):
            return try String.fetchAll(db, sql: """
                SELECT DISTINCT record_id FROM revision
                WHERE kind = 'tag' AND instr(body, ?) > 0 AND json_extract(body, '$.section') = ?
                """, arguments: [section.rawValue, section.rawValue]
            ).map(RecordID.init(rawValue:))
        }
    }

    /// The record a full record id, or a revision id or unique prefix of one, names; nil when nothing matches.
    private static func recordOfRevisionOrRecordID(_ reference: String, _ db: Database) throws -> RecordID? {
        let typed = reference.trimmingSpaces().lowercased()
        guard typed.count >= ShortIdentifiers.minimumLength, typed.allSatisfy(\.isHexDigit) else { return nil }
        if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM record WHERE id = ?)", arguments: [typed]) == true {
            return RecordID(rawValue: typed)
        }
        let matches = try Row.fetchAll(
            db, sql: "SELECT id, record_id FROM revision WHERE id >= ? AND id < ? LIMIT 6", arguments: [typed, typed + "g"])
        let records = Set(matches.map { $0["record_id"] as String })
        switch records.count {
        case 0: return nil
        case 1: return RecordID(rawValue: records.first!)
        default:
            throw MarginStoreError(.ambiguousReference(reference, candidates: matches.map { String(($0["id"] as String).prefix(12)) }))
        }
    }
}
