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

/// Changes to the annotation search index (`annotation_characters`, see ``AnnotationIndexMigration``), collected
/// while a page is materialized and written at its end in ascending rowid order.
///
/// FTS5 keeps a transaction's index changes in memory and writes them to disk once, as one new index segment, but
/// only while the rowids it is given ascend: a write to a lower rowid than the previous one first flushes all
/// pending changes as a segment of their own. A received page edits older annotations between new ones, so writing
/// the index in arrival order flushed a small segment at almost every edit (and then merged them), which made an
/// edit about eight times dearer than a new note. Sorted, a page costs one segment.
///
/// The index keeps no copy of the text: an entry is removed by giving the text it was made from, the text the
/// annotation's row held before the page.
final class AnnotationSearchWrites {
    /// What happens to one annotation's index entry.
    private struct Change {
        /// The text indexed before the page, whose entry is removed first; nil when there was none.
        var previous: String?
        /// The text indexed afterwards; nil when the annotation is deleted (not searchable).
        var text: String?
    }

    static let insertSQL = "INSERT INTO annotation_characters (rowid, text) VALUES (?, ?)"
    static let removeSQL = "INSERT INTO annotation_characters (annotation_characters, rowid, text) VALUES ('delete', ?, ?)"

    private var changes: [Int64: Change] = [:]

    /// Notes that the annotation in row `rowid` is now indexed with `text` (nil: not indexed), in place of the entry
    /// made from `previous`, the text its row held and indexed until now (nil: a new row, or a deleted note).
    func set(rowid: Int64, previous: String?, text: String?) {
        // A row touched twice in a page keeps what was indexed before the page to remove, and its latest text.
        if let earlier = changes[rowid] {
            changes[rowid] = Change(previous: earlier.previous, text: text)
        } else {
            changes[rowid] = Change(previous: previous, text: text)
        }
    }

    /// Writes the collected changes, by ascending rowid, and forgets them.
    func write(_ db: Database) throws {
        guard !changes.isEmpty else { return }
        let remove = try db.cachedStatement(sql: Self.removeSQL)
        let insert = try db.cachedStatement(sql: Self.insertSQL)
        for rowid in changes.keys.sorted() {
            let change = changes[rowid]!
            if let previous = change.previous { try remove.run([.integer(rowid), .text(CharacterIndex.spaced(previous))]) }
            if let text = change.text { try insert.run([.integer(rowid), .text(CharacterIndex.spaced(text))]) }
        }
        changes = [:]
    }

    /// Removes the entry of the annotation in row `rowid`, made from `text`, at once (outside any batch).
    static func remove(rowid: Int64, text: String, _ db: Database) throws {
        try db.cachedStatement(sql: removeSQL).run([.integer(rowid), .text(CharacterIndex.spaced(text))])
    }
}
