import Foundation
import GRDB
import MarginCore

/// What ``MarginStore/recoverIdentity(sharedThrough:)`` did.
public struct IdentityRecovery: Sendable, Equatable, Codable {
    /// The identity another writer also used; its revisions are now another origin's like any other.
    public var retired: PeerID
    /// The identity this store writes under from now on.
    public var fresh: PeerID
    /// The highest counter of the retired identity that both writers share (the same revisions).
    public var sharedThrough: Int64
    /// How many of this store's revisions were re-issued under the fresh identity.
    public var reissued: Int
    /// Annotations whose identity changed because they were created by a re-issued revision, sorted by old id.
    public var renamedAnnotations: [AnnotationRename]
}

/// An annotation that now has another identity.
public struct AnnotationRename: Sendable, Equatable, Codable {
    /// The identity it had.
    public var old: RecordID
    /// The identity it has now.
    public var new: RecordID
}

extension MarginStore {
    /// Takes a fresh identity because another writer also wrote under this one (a copied store folder, a backup
    /// restored after the store had synced, or someone pushing under its id), and re-issues, under the fresh
    /// identity, every revision of the old one with a counter above `sharedThrough`: those only this store holds.
    ///
    /// Nothing is lost. A re-issued revision keeps its content, author, time and clock; its parents are the
    /// re-issued ids of re-issued parents; an annotation created by a re-issued revision gets the identity its new
    /// origin and counter derive (so it cannot meet the other writer's annotation of the same counter). The old
    /// copies are removed from this store, which never shared them, and every record they touched is
    /// materialized again. All of it is one transaction.
    ///
    /// - Parameter sharedThrough: the highest counter at which the other writer holds the same revision as this
    ///   store (0 when none is shared).
    @discardableResult
    public func recoverIdentity(sharedThrough: Int64) throws -> IdentityRecovery {
        let old = peer
        let fresh = PeerIdentity(id: .random(), author: old.author)
        let recovery = try write { db in
            let divergent = try Revision.fetchAll(
                db, sql: "SELECT * FROM revision WHERE origin = ? AND counter > ? ORDER BY seq",
                arguments: [old.id.rawValue, sharedThrough])
            var reissuedIDs: [RevisionID: RevisionID] = [:]
            var renamed: [RecordID: RecordID] = [:]
            var reissued: [Revision] = []
            for (index, revision) in divergent.enumerated() {
                let counter = Int64(index + 1)
                var record = renamed[revision.record] ?? revision.record
                if revision.kind == .annotation, revision.parents.isEmpty {
                    record = Identity.annotation(origin: fresh.id, counter: counter)
                    renamed[revision.record] = record
                }
                let copy = Revision(
                    record: record, kind: revision.kind, parents: revision.parents.map { reissuedIDs[$0] ?? $0 },
                    origin: fresh.id, counter: counter, clock: revision.clock, author: revision.author,
                    createdAt: revision.createdAt, body: revision.body)
                try storeErrors { try copy.verify() }
                reissuedIDs[revision.id] = copy.id
                reissued.append(copy)
            }
            try Self.removeUnshared(of: old.id, above: sharedThrough, db)
            for revision in reissued {
                try RevisionLedger.insert(revision, source: RevisionLedger.localSource, db)
            }
            if let last = reissued.last {
                let clock = reissued.map(\.clock).max() ?? last.clock
                let chain = RevisionChain.start(of: fresh.id).appending(contentsOf: reissued.map(\.id))
                try RevisionLedger.advanceVector(origin: fresh.id, counter: last.counter, clock: clock, chain: chain, db)
            }
            try Self.rematerialize(divergent: divergent, renamed: renamed, db)
            try fresh.save(db)
            try Self.retire(old.id, db)
            return IdentityRecovery(
                retired: old.id, fresh: fresh.id, sharedThrough: sharedThrough, reissued: reissued.count,
                renamedAnnotations: renamed.map { AnnotationRename(old: $0.key, new: $0.value) }.sorted { $0.old < $1.old })
        }
        identity.withLock { $0 = fresh }
        return recovery
    }

    // MARK: - Copies

    /// True when the store's database file is not the one its identity was last checked in: the folder was
    /// copied, or restored from a backup, since. Its identity may then be shared with another writer, which only a
    /// sync can tell (see ``recoverIdentity(sharedThrough:)``); until then, what it counts as not yet pushed may be
    /// wrong. False for a store whose identity was never checked by a sync.
    public func mayBeACopy() throws -> Bool {
        let recorded = try read { db in
            try String.fetchOne(db, sql: "SELECT value FROM store_info WHERE key = 'checked_database_file'")
        }
        guard let recorded, let current = databaseFileIdentity() else { return false }
        return recorded != current
    }

    /// Records that a sync has just checked this store's identity against a remote, in this very database file.
    public func identityWasChecked() throws {
        guard let current = databaseFileIdentity() else { return }
        let recorded = try read { db in
            try String.fetchOne(db, sql: "SELECT value FROM store_info WHERE key = 'checked_database_file'")
        }
        if recorded == current { return }
        try write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO store_info (key, value) VALUES ('checked_database_file', ?)",
                arguments: [current])
        }
    }

    /// The device and inode of the database file, as "DEVICE:INODE" in decimal: a copy or a restored backup has
    /// other ones. (Read with `stat`: Foundation's file attributes also look the owner and group up by name, which
    /// reads the system's user and group databases.)
    func databaseFileIdentity() -> String? {
        let path = (self.path as NSString).appendingPathComponent(Self.databaseFileName)
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return "\(info.st_dev):\(info.st_ino)"
    }

    /// How many records of each kind this version does not know the store holds (kept and forwarded, never shown).
    public func unknownKindCounts() throws -> [RecordKind: Int] {
        try read { db in
            var counts: [RecordKind: Int] = [:]
            let known = RecordKind.known.map { "'\($0.rawValue)'" }.joined(separator: ", ")
            for row in try Row.fetchAll(db, sql: "SELECT kind, COUNT(*) AS n FROM record WHERE kind NOT IN (\(known)) GROUP BY kind") {
                counts[RecordKind(rawValue: row["kind"])] = row["n"]
            }
            return counts
        }
    }

    /// Identities this store wrote under before, oldest first.
    public func retiredIdentities() throws -> [PeerID] {
        try read { db in
            let text = try String.fetchOne(db, sql: "SELECT value FROM store_info WHERE key = 'retired_peer_ids'") ?? ""
            return text.split(separator: ",").map { PeerID(rawValue: String($0)) }
        }
    }

    private static func retire(_ old: PeerID, _ db: Database) throws {
        let text = try String.fetchOne(db, sql: "SELECT value FROM store_info WHERE key = 'retired_peer_ids'")
        let list = (text.map { $0 + "," } ?? "") + old.rawValue
        try db.execute(
            sql: "INSERT OR REPLACE INTO store_info (key, value) VALUES ('retired_peer_ids', ?)", arguments: [list])
    }

    /// Removes the old identity's unshared revisions and lowers its vector entry to what is shared. Revisions are
    /// otherwise never deleted; these exist nowhere else, and their re-issued copies replace them.
    private static func removeUnshared(of origin: PeerID, above counter: Int64, _ db: Database) throws {
        try db.execute(sql: """
            DROP TRIGGER revision_is_kept;
            DELETE FROM stored_revision WHERE origin = ? AND counter > ?;
            CREATE TRIGGER revision_is_kept BEFORE DELETE ON stored_revision
            BEGIN SELECT RAISE(ABORT, 'revisions are never deleted'); END;
            """, arguments: [origin.rawValue, counter])
        // Signatures of the removed revisions' chain vouch for nothing held any more.
        try db.execute(
            sql: "DELETE FROM chain_signature WHERE origin = ? AND counter > ?", arguments: [origin.rawValue, counter])
        if counter > 0 {
            try db.execute(sql: "UPDATE sync_vector SET counter = ? WHERE origin = ?", arguments: [counter, origin.rawValue])
            try OriginChains.recompute(origin, db)
        } else {
            try db.execute(sql: "DELETE FROM sync_vector WHERE origin = ?", arguments: [origin.rawValue])
        }
    }

    /// Recomputes heads and current values of every record the re-issue touched; drops the rows of annotations
    /// that now live under their new identity.
    private static func rematerialize(divergent: [Revision], renamed: [RecordID: RecordID], _ db: Database) throws {
        var seen = Set<RecordID>()
        var records: [(id: RecordID, kind: RecordKind)] = []
        for revision in divergent where seen.insert(revision.record).inserted {
            records.append((renamed[revision.record] ?? revision.record, revision.kind))
        }
        for old in renamed.keys {
            if let row = try Row.fetchOne(
                db, sql: "SELECT rowid, text FROM annotation WHERE id = ? AND deleted = 0", arguments: [old.rawValue])
            {
                try AnnotationSearchWrites.remove(rowid: row["rowid"], text: row["text"], db)
            }
            try db.execute(sql: "DELETE FROM annotation WHERE id = ?", arguments: [old.rawValue])
            try db.execute(sql: "DELETE FROM record WHERE id = ?", arguments: [old.rawValue])
        }
        let batch = MaterializationBatch()
        for (record, kind) in records {
            let revisions = try Revision.fetchAll(
                db, sql: "SELECT * FROM revision WHERE record_id = ? ORDER BY seq", arguments: [record.rawValue])
            guard let first = revisions.first else {
                try db.execute(sql: "DELETE FROM record WHERE id = ?", arguments: [record.rawValue])
                continue
            }
            let superseded = Set(revisions.flatMap(\.parents))
            let heads = revisions.map(\.id).filter { !superseded.contains($0) }.sorted()
            if renamed.values.contains(record), heads != [first.id] {
                // A new identity: its first revision sets what never changes (author, creation time).
                try Materializer.refresh(first, in: batch, db)
            }
            try Materializer.refresh(record: record, kind: kind, heads: heads, in: batch, db)
        }
        try batch.finish(db)
    }
}
