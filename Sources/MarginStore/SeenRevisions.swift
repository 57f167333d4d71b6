import GRDB
import MarginCore

/// The revisions a person's view of a record was read from, for a write made from that view later (after an
/// editor session): the write checks that they are still the record's heads, so that a revision that arrived
/// meanwhile (a sync, another command) is never overwritten unseen, as git refuses to commit over a file changed
/// since it was read.
public struct SeenRevisions: Sendable, Equatable {
    /// The record viewed.
    public let record: RecordID
    /// Its heads when it was viewed, sorted.
    let heads: [RevisionID]

    /// Throws ``MarginStoreError/Kind/changedMeanwhile(_:)``, naming the record as `reference`, when the record's
    /// heads are no longer the ones seen.
    func check(reference: String, _ db: Database) throws {
        let current = try RevisionLedger.heads(of: record, db).sorted { $0.rawValue < $1.rawValue }
        guard current == heads else { throw MarginStoreError(.changedMeanwhile(reference)) }
    }
}

extension MarginStore {
    /// The revisions record `id` is read from now. Read them before the view itself (its text, its sides), so
    /// that a revision written in between makes the later write refuse rather than pass.
    public func seenRevisions(of id: RecordID) throws -> SeenRevisions {
        try read { db in
            SeenRevisions(record: id, heads: try RevisionLedger.heads(of: id, db).sorted { $0.rawValue < $1.rawValue })
        }
    }

    /// The revisions the annotation `reference` names is read from now (see ``seenRevisions(of:)``).
    public func seenRevisions(ofAnnotation reference: String) throws -> SeenRevisions {
        let id = try read { db in try Self.resolveAnnotation(reference, db) }
        return try seenRevisions(of: id)
    }
}
