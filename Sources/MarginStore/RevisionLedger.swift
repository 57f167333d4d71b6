import Foundation
import GRDB
import MarginCore

/// Appends revisions to the store: the revision itself, its change-log entry, the record's heads,
/// and the record's materialized current value. The single path through which every revision enters.
enum RevisionLedger {
    /// Where a revision came from, as written in the change log.
    static let localSource = "local"

    /// Makes and appends a new local revision of a record, superseding its current heads.
    static func appendLocal(
        _ db: Database, peer: PeerIdentity, record: RecordID, kind: RecordKind, body: String
    ) throws -> Revision {
        let parents = try heads(of: record, db)
        let counter = try nextCounter(for: peer.id, db)
        let clock = try (Int64.fetchOne(db, sql: "SELECT MAX(clock) FROM revision") ?? 0) + 1
        let revision = Revision(
            record: record, kind: kind, parents: parents, origin: peer.id, counter: counter, clock: clock,
            author: peer.author, createdAt: Self.nowMilliseconds(), body: body)
        try append(revision, source: localSource, db)
        return revision
    }

    /// Appends a revision received from elsewhere, after checking it. Returns false when it was already known.
    static func appendReceived(_ revision: Revision, source: String, _ db: Database) throws -> Bool {
        if try Bool.fetchOne(db, sql: "SELECT 1 FROM revision WHERE id = ?", arguments: [revision.id.rawValue]) == true {
            return false
        }
        try revision.verify()
        if let known = try Row.fetchOne(
            db, sql: "SELECT id FROM revision WHERE origin = ? AND counter = ?",
            arguments: [revision.origin.rawValue, revision.counter])
        {
            let knownID: String = known["id"]
            throw MarginStoreError(.inconsistentRevision(
                revision: revision.id,
                reason: "peer \(revision.origin) already used counter \(revision.counter) for revision \(knownID)"))
        }
        for parent in revision.parents {
            guard let row = try Row.fetchOne(
                db, sql: "SELECT record_id, kind FROM revision WHERE id = ?", arguments: [parent.rawValue])
            else { throw MarginStoreError(.missingParent(revision: revision.id, parent: parent)) }
            guard row["record_id"] == revision.record.rawValue, row["kind"] == revision.kind.rawValue else {
                throw MarginStoreError(.inconsistentRevision(
                    revision: revision.id, reason: "its parent \(parent) belongs to another record"))
            }
        }
        if let kind = try String.fetchOne(
            db, sql: "SELECT kind FROM record WHERE id = ?", arguments: [revision.record.rawValue]),
            kind != revision.kind.rawValue
        {
            throw MarginStoreError(.inconsistentRevision(
                revision: revision.id, reason: "record \(revision.record) is a \(kind), not a \(revision.kind.rawValue)"))
        }
        try append(revision, source: source, db)
        return true
    }

    private static func append(_ revision: Revision, source: String, _ db: Database) throws {
        let parentsJSON = BodyCoding.encode(revision.parents.map(\.rawValue))
        try db.execute(
            sql: """
                INSERT INTO revision (id, record_id, kind, parents, origin, counter, clock, author, created_at, body)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                revision.id.rawValue, revision.record.rawValue, revision.kind.rawValue, parentsJSON,
                revision.origin.rawValue, revision.counter, revision.clock, revision.author, revision.createdAt,
                revision.body,
            ])
        try db.execute(
            sql: "INSERT INTO change_log (revision_id, source, logged_at) VALUES (?, ?, ?)",
            arguments: [revision.id.rawValue, source, nowMilliseconds()])
        // Causal delivery means no known revision can name this one as a parent: it is always a new head.
        for parent in revision.parents {
            try db.execute(
                sql: "DELETE FROM record_head WHERE record_id = ? AND revision_id = ?",
                arguments: [revision.record.rawValue, parent.rawValue])
        }
        try db.execute(
            sql: "INSERT INTO record_head (record_id, revision_id) VALUES (?, ?)",
            arguments: [revision.record.rawValue, revision.id.rawValue])
        try Materializer.refresh(record: revision.record, kind: revision.kind, db)
    }

    /// The current heads of a record, sorted.
    static func heads(of record: RecordID, _ db: Database) throws -> [RevisionID] {
        try String.fetchAll(
            db, sql: "SELECT revision_id FROM record_head WHERE record_id = ? ORDER BY revision_id",
            arguments: [record.rawValue]
        ).map(RevisionID.init(rawValue:))
    }

    /// The head revisions of a record, fully loaded.
    static func headRevisions(of record: RecordID, _ db: Database) throws -> [Revision] {
        try Revision.fetchAll(
            db,
            sql: "SELECT revision.* FROM record_head JOIN revision ON revision.id = record_head.revision_id WHERE record_head.record_id = ?",
            arguments: [record.rawValue])
    }

    static func nextCounter(for peer: PeerID, _ db: Database) throws -> Int64 {
        try (Int64.fetchOne(db, sql: "SELECT MAX(counter) FROM revision WHERE origin = ?", arguments: [peer.rawValue]) ?? 0) + 1
    }

    static func nowMilliseconds() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded())
    }
}

extension Revision {
    /// Decodes a revision from a `revision` table row.
    init(row: Row) throws {
        let parentsJSON: String = row["parents"]
        let parents = try BodyCoding.decode([String].self, from: parentsJSON, kind: .report)
        guard let kind = RecordKind(rawValue: row["kind"]) else {
            throw MarginStoreError(.database("unknown record kind \(row["kind"] as String)"))
        }
        self.init(
            id: RevisionID(rawValue: row["id"]), record: RecordID(rawValue: row["record_id"]), kind: kind,
            parents: parents.map(RevisionID.init(rawValue:)), origin: PeerID(rawValue: row["origin"]),
            counter: row["counter"], clock: row["clock"], author: row["author"], createdAt: row["created_at"],
            body: row["body"])
    }

    static func fetchAll(_ db: Database, sql: String, arguments: StatementArguments = StatementArguments()) throws -> [Revision] {
        try Row.fetchAll(db, sql: sql, arguments: arguments).map(Revision.init(row:))
    }
}
