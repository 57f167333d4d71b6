import GRDB

/// Work the materializer leaves for the end of a batch of records (a received page, or one local write), where it
/// is done once: the annotation search index, written in row order, and the short-identity length, checked for
/// every report and annotation identity the batch brought.
final class MaterializationBatch {
    /// Annotation search entries to write.
    let search = AnnotationSearchWrites()
    /// Report and annotation identities the batch inserted.
    private var newIdentities: [String] = []

    /// Notes a report or annotation identity just inserted.
    func noteNewIdentity(_ id: String) {
        newIdentities.append(id)
    }

    /// Does the deferred work, and forgets it.
    func finish(_ db: Database) throws {
        try search.write(db)
        try ShortIdentifiers.noteNew(newIdentities, db)
        newIdentities = []
    }
}

/// Changes to the annotation full-text index (`annotation_fts`), collected while a page is materialized and
/// written at its end in ascending rowid order.
///
/// FTS5 keeps a transaction's index changes in memory and writes them to disk once, as one new index segment, but
/// only while the rowids it is given ascend: a write to a lower rowid than the previous one first flushes all
/// pending changes as a segment of their own. A received page edits older annotations between new ones, so writing
/// the index in arrival order flushed a small segment at almost every edit (and then merged them), which made an
/// edit about eight times dearer than a new note. Sorted, a page costs one segment.
final class AnnotationSearchWrites {
    /// What happens to one annotation's index entry.
    private struct Change {
        /// The entry held before the page, if any, is removed first.
        var removesPrevious: Bool
        /// The text indexed afterwards; nil when the annotation is deleted (not searchable).
        var text: String?
    }

    private var changes: [Int64: Change] = [:]

    /// Notes that the annotation in row `rowid` is now indexed with `text` (nil: not indexed), replacing the entry it
    /// had before the page when `replacesPrevious` is true.
    func set(rowid: Int64, replacesPrevious: Bool, text: String?) {
        // A row touched twice in a page keeps what it had before the page to remove, and its latest text.
        let removesPrevious = changes[rowid]?.removesPrevious ?? replacesPrevious
        changes[rowid] = Change(removesPrevious: removesPrevious, text: text)
    }

    /// Writes the collected changes, by ascending rowid, and forgets them.
    func write(_ db: Database) throws {
        guard !changes.isEmpty else { return }
        let remove = try db.cachedStatement(sql: "DELETE FROM annotation_fts WHERE rowid = ?")
        let insert = try db.cachedStatement(sql: "INSERT INTO annotation_fts (rowid, text) VALUES (?, ?)")
        for rowid in changes.keys.sorted() {
            let change = changes[rowid]!
            if change.removesPrevious { try remove.run([.integer(rowid)]) }
            if let text = change.text { try insert.run([.integer(rowid), .text(text)]) }
        }
        changes = [:]
    }
}
