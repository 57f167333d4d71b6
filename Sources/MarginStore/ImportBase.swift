import GRDB
import MarginCore

/// What a file last said of a report, so that importing the file again brings in the file's own changes and keeps
/// what was edited since (on this peer or another) instead of silently writing the file's older text over it.
///
/// Kept per report and file name in the local table `import_base`: the revision whose title and sections are the
/// text the file gave (by its `seq` in this store's change log), or, when that import was merged with later edits
/// and so wrote no such revision, the text itself. Local knowledge, never synced: another peer's imports of its own
/// copy of the file are found by their text (``ImportBase/plan(_:file:replacing:_:)``).
enum ImportBase {
    /// What an import writes for a report the store holds.
    enum Plan {
        /// Write this body: the file's text, or its changes merged with the report's later edits (`laterEdits`
        /// says which).
        case write(ReportBody, laterEdits: ImportedReport.LaterEdits?)
        /// Write nothing: the file holds no change of its own since it was last imported (or holds the text of
        /// `earlier`, an earlier revision, when the store had not noted what the file said), and the report was
        /// edited since.
        case keep(earlier: RevisionID?)
    }

    /// What importing `file` (a body built from the file) as record `id` writes. With `replacing`, the file's text
    /// as it is, whatever was edited since.
    /// - Throws: ``MarginStoreError/Kind/importClashes(report:file:parts:)`` when the file and a later edit changed
    ///   the same part of the report.
    static func plan(_ id: RecordID, file: ReportBody, replacing: Bool, _ db: Database) throws -> Plan {
        guard !replacing, let head = try currentRevision(of: id, db), head.body != BodyCoding.encode(file) else {
            return .write(file, laterEdits: nil)
        }
        let current = try head.reportBody()
        // A removed report comes back with the file's text; a conflicted one is refused by the write.
        if current.removed || current.hasSameText(as: file) { return .write(file, laterEdits: nil) }
        if try Bool.fetchOne(db, sql: "SELECT conflicted FROM record WHERE id = ?", arguments: [id.rawValue]) == true {
            return .write(file, laterEdits: nil)
        }
        guard let base = try recordedText(of: id, file: file.source?.file, db) else {
            let earlier = try earlierRevision(of: head, withTextOf: file, db)
            return earlier == nil ? .write(file, laterEdits: nil) : .keep(earlier: earlier)
        }
        if base.hasSameText(as: file) { return .keep(earlier: nil) }
        if base.hasSameText(as: current) { return .write(file, laterEdits: nil) }
        let merged = ReportMerge.merge(base: base, sides: [file, current])
        guard let body = try merged.body(of: id, source: file.source) else {
            throw MarginStoreError(.importClashes(
                report: try ShortIdentifiers.shorten(id.rawValue, length: ShortIdentifiers.length(db)),
                file: file.source?.file ?? "", parts: merged.conflictCount))
        }
        return .write(body, laterEdits: .merged)
    }

    /// Notes what `file` said of record `id`, after `plan` was carried out: the current revision's text when the
    /// file's was written, an earlier revision that holds it, or the text itself after a merge.
    static func record(_ id: RecordID, file: ReportBody, after plan: Plan, _ db: Database) throws {
        guard let name = file.source?.file else { return }
        var revision: Int64?
        var text: String?
        switch plan {
        case .write(_, laterEdits: nil):
            revision = try Int64.fetchOne(db, sql: """
                SELECT stored_revision.seq FROM record JOIN stored_revision ON stored_revision.id = record.current_revision
                WHERE record.id = ?
                """, arguments: [id.rawValue])
        case .write:
            text = BodyCoding.encode(ReportBody(title: file.title, sections: file.sections))
        case let .keep(earlier?):
            revision = try Int64.fetchOne(
                db, sql: "SELECT seq FROM stored_revision WHERE id = ?", arguments: [earlier.rawValue])
        case .keep(earlier: nil):
            return
        }
        guard revision != nil || text != nil else { return }
        try db.execute(
            sql: "INSERT OR REPLACE INTO import_base (record_id, file, revision_seq, body) VALUES (?, ?, ?, ?)",
            arguments: [id.rawValue, name, revision, text])
    }

    private static func currentRevision(of id: RecordID, _ db: Database) throws -> Revision? {
        try Revision.fetchAll(
            db, sql: "SELECT revision.* FROM record JOIN revision ON revision.id = record.current_revision WHERE record.id = ?",
            arguments: [id.rawValue]).first
    }

    /// The text `file` gave record `id` when it was last imported, if this store noted it.
    private static func recordedText(of id: RecordID, file: String?, _ db: Database) throws -> ReportBody? {
        guard let file,
            let row = try Row.fetchOne(
                db, sql: "SELECT revision_seq, body FROM import_base WHERE record_id = ? AND file = ?",
                arguments: [id.rawValue, file])
        else { return nil }
        if let text: String = row["body"] { return try BodyCoding.decode(ReportBody.self, from: text, kind: .report) }
        guard let revision = try Revision.fetchAll(
            db, sql: "SELECT * FROM revision WHERE seq = ?", arguments: [row["revision_seq"] as Int64?]).first
        else { return nil }
        return try revision.reportBody()
    }

    /// An ancestor of `head` (not `head` itself) whose title and sections are `file`'s.
    private static func earlierRevision(of head: Revision, withTextOf file: ReportBody, _ db: Database) throws -> RevisionID? {
        try RevisionGraph.earlierRevisions(of: head, db).first { try $0.reportBody().hasSameText(as: file) }?.id
    }
}
