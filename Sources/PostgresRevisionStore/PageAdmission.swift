import MarginCore

/// Decides what a received page adds to the database, from what the database held when the page's transaction
/// began (``StoredFacts``): the embedded store's rules (its `PageIngest`), revision by revision in page order, so that
/// a bad page fails on the same revision with the same rule.
///
/// - A counter at or below the origin's highest held (or accepted earlier in the page) is a duplicate when the
///   revision there is the same, and breaks `counter-reused` when it is another.
/// - A counter more than one above it breaks `counter-gap`.
/// - Every parent must be held or accepted earlier in the page (`missing-parent`), belong to the same record and kind
///   (`parent-record`), and have a lower clock (`clock`, through `RevisionValidator.validate(_:parentClocks:)`).
/// - A record's first revision must have the kind the record has (`kind-change`).
///
/// Pure: the database is read before (``StoredFacts/needs(for:)`` says what to read) and written after.
struct PageAdmission {
    /// A place in an origin's sequence.
    struct Slot: Hashable {
        var origin: PeerID
        var counter: Int64
    }

    /// What a parent tells about its child.
    struct ParentFacts: Equatable {
        var record: RecordID
        var kind: RecordKind
        var clock: Int64
    }

    /// What the database held, as far as the page needs it.
    struct StoredFacts {
        /// The highest counter held, for the page's origins.
        var counters: [PeerID: Int64] = [:]
        /// The chain at that counter, for the same origins.
        var chains: [PeerID: RevisionChain] = [:]
        /// The ids held at slots the page repeats.
        var ids: [Slot: RevisionID] = [:]
        /// The held revisions among the page's parents.
        var parents: [RevisionID: ParentFacts] = [:]
        /// The kinds of the page's records that are held.
        var kinds: [RecordID: RecordKind] = [:]

        /// The slots whose stored ids the page needs, given the held counters: every slot at or below them.
        static func repeatedSlots(of revisions: [Revision], counters: [PeerID: Int64]) -> [Slot] {
            revisions.filter { $0.counter <= (counters[$0.origin] ?? 0) }.map { Slot(origin: $0.origin, counter: $0.counter) }
        }
    }

    /// The outcome: what to write.
    struct Admitted {
        /// The new revisions, in page order.
        var revisions: [Revision] = []
        /// Records the page brings, with their kinds, in first-seen order.
        var newRecords: [(id: RecordID, kind: RecordKind)] = []
        /// The new highest counter of each origin the page advanced.
        var counters: [PeerID: Int64] = [:]
        /// Revisions that were already held (or repeated within the page).
        var duplicates = 0
    }

    /// Checks the page against `stored` and returns what to write; throws ``PostgresRevisionStoreError`` naming the
    /// first revision that breaks a rule. Hashes and per-revision rules are the caller's (verified before).
    static func admit(_ revisions: [Revision], stored: StoredFacts) throws(PostgresRevisionStoreError) -> Admitted {
        var admitted = Admitted()
        var counters = stored.counters
        var kinds = stored.kinds
        var pageParents: [RevisionID: ParentFacts] = [:]
        var pageSlots: [Slot: RevisionID] = [:]
        for revision in revisions {
            let slot = Slot(origin: revision.origin, counter: revision.counter)
            let held = counters[revision.origin] ?? 0
            if revision.counter <= held {
                let known = pageSlots[slot] ?? stored.ids[slot]
                guard known == revision.id else {
                    throw PostgresRevisionStoreError(.inconsistentRevision(
                        revision: revision.id, rule: .counterReused,
                        reason: "peer \(revision.origin) already used counter \(revision.counter) for revision \(known?.rawValue ?? "?")"))
                }
                admitted.duplicates += 1
                continue
            }
            if revision.counter > held + 1 {
                throw PostgresRevisionStoreError(.inconsistentRevision(
                    revision: revision.id, rule: .counterGap,
                    reason: "peer \(revision.origin)'s counters jump from \(held) to \(revision.counter); send revisions in change-log order"))
            }
            var clocks: [Int64] = []
            for parent in revision.parents {
                guard let owner = pageParents[parent] ?? stored.parents[parent] else {
                    throw PostgresRevisionStoreError(.missingParent(revision: revision.id, parent: parent))
                }
                guard owner.record == revision.record, owner.kind == revision.kind else {
                    throw PostgresRevisionStoreError(.inconsistentRevision(
                        revision: revision.id, rule: .parentRecord, reason: "its parent \(parent) belongs to another record"))
                }
                clocks.append(owner.clock)
            }
            do {
                try RevisionValidator.validate(revision, parentClocks: clocks)
            } catch {
                throw PostgresRevisionStoreError(.core(error))
            }
            if let kind = kinds[revision.record] {
                if revision.parents.isEmpty, kind != revision.kind {
                    throw PostgresRevisionStoreError(.inconsistentRevision(
                        revision: revision.id, rule: .kindChange,
                        reason: "record \(revision.record) is a \(kind.rawValue), not a \(revision.kind.rawValue)"))
                }
            } else {
                kinds[revision.record] = revision.kind
                admitted.newRecords.append((revision.record, revision.kind))
            }
            counters[revision.origin] = revision.counter
            admitted.counters[revision.origin] = revision.counter
            pageParents[revision.id] = ParentFacts(record: revision.record, kind: revision.kind, clock: revision.clock)
            pageSlots[slot] = revision.id
            admitted.revisions.append(revision)
        }
        return admitted
    }
}
