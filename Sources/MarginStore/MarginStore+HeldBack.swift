import GRDB
import MarginCore

/// Revisions a push leaves out for now: those of origins a server will not take yet (it has not met their key:
/// their author has not synced with it), and every revision that builds on one of them, since a server takes a
/// revision only after its parents. Counters have no gaps, so once one revision of an origin waits, its later ones
/// wait too.
public struct HeldBackRevisions: Sendable, Equatable {
    /// For each origin with revisions waiting, the first counter that waits.
    public var firstCounter: [PeerID: Int64] = [:]
    /// How many revisions wait, by origin.
    public var counts: [PeerID: Int] = [:]
    /// The author of each origin's first waiting revision, to name it to a person.
    public var authors: [PeerID: String] = [:]

    /// Nothing held back.
    public init() {}

    /// True when no revision waits.
    public var isEmpty: Bool { firstCounter.isEmpty }

    /// `have`'s view of what a push may offer: counters below each origin's first waiting one.
    func capping(_ local: [PeerID: Int64]) -> [PeerID: Int64] {
        var capped = local
        for (origin, first) in firstCounter { capped[origin] = min(capped[origin] ?? 0, first - 1) }
        return capped
    }
}

extension MarginStore {
    /// The revisions a peer holding `have` lacks that must wait while `origins` cannot be pushed: those of `origins`,
    /// and those that build on a waiting revision (a parent waits, or an earlier counter of their origin does).
    /// Reads every revision `have` lacks once, in log order.
    public func heldBack(missingFrom have: [PeerID: Int64], origins: Set<PeerID>) throws -> HeldBackRevisions {
        try read { db in
            // What the closure needs of each revision, without its body: a first push may lack a long history.
            struct Missing {
                var seq: Int64, id: RevisionID, origin: PeerID, counter: Int64, author: String, parents: [RevisionID]
            }
            let statement = try db.cachedStatement(sql: """
                SELECT seq, id, counter, author, parents FROM revision WHERE origin = ? AND counter > ? ORDER BY counter
                """)
            var missing: [Missing] = []
            for (origin, counter) in try Self.versionVector(db) where counter > (have[origin] ?? 0) {
                try statement.each([.text(origin.rawValue), .integer(have[origin] ?? 0)]) { row in
                    missing.append(Missing(
                        seq: row.integer(0), id: RevisionID(rawValue: row.text(1) ?? ""), origin: origin,
                        counter: row.integer(2), author: row.text(3) ?? "", parents: try ParentList.decode(row.text(4) ?? "")))
                }
            }
            missing.sort { $0.seq < $1.seq }
            var held = HeldBackRevisions()
            var waiting: Set<RevisionID> = []
            for revision in missing {
                let waits = origins.contains(revision.origin) || held.firstCounter[revision.origin] != nil
                    || revision.parents.contains(where: waiting.contains)
                guard waits else { continue }
                waiting.insert(revision.id)
                if held.firstCounter[revision.origin] == nil {
                    held.firstCounter[revision.origin] = revision.counter
                    held.authors[revision.origin] = revision.author
                }
                held.counts[revision.origin, default: 0] += 1
            }
            return held
        }
    }
}
