/// Decides what a received page adds to a store, from what the store held when the page's transaction began
/// (``StoredFacts``): the rules every store applies (the embedded store's `PageIngest` and the PostgreSQL store both
/// judge pages here), revision by revision in page order, so that a bad page fails on the same revision with the same
/// rule wherever it is sent.
///
/// - A counter at or below the origin's highest held (or accepted earlier in the page) is a duplicate when the
///   revision there is the same, and breaks `counter-reused` when it is another.
/// - A counter more than one above it breaks `counter-gap`.
/// - Every parent must be held or accepted earlier in the page (`missing-parent`), belong to the same record and kind
///   (`parent-record`), and have a lower clock (`clock`, through `RevisionValidator.validate(_:parentClocks:)`).
/// - A record's first revision must have the kind the record has (`kind-change`).
///
/// Pure: the store is read before (``StoredFacts`` says what to read) and written after. Hashes and the rules of a
/// revision alone are checked before (`RevisionValidator`); signatures after (`SignatureAdmission`).
public struct PageAdmission {
    /// A place in an origin's sequence.
    public struct Slot: Hashable, Sendable {
        public var origin: PeerID
        public var counter: Int64

        public init(origin: PeerID, counter: Int64) {
            self.origin = origin
            self.counter = counter
        }
    }

    /// What a parent tells about its child.
    public struct ParentFacts: Equatable, Sendable {
        public var record: RecordID
        public var kind: RecordKind
        public var clock: Int64

        public init(record: RecordID, kind: RecordKind, clock: Int64) {
            self.record = record
            self.kind = kind
            self.clock = clock
        }
    }

    /// What the store held, as far as the page needs it.
    public struct StoredFacts: Sendable {
        /// The highest counter held, for the page's origins.
        public var counters: [PeerID: Int64] = [:]
        /// The chain at that counter, for the same origins (not used by ``admit(_:stored:)``; kept for the
        /// signatures, judged next).
        public var chains: [PeerID: RevisionChain] = [:]
        /// The ids held at slots the page repeats (see ``repeatedSlots(of:counters:)``).
        public var ids: [Slot: RevisionID] = [:]
        /// The held revisions among the page's parents.
        public var parents: [RevisionID: ParentFacts] = [:]
        /// The kinds of the page's records that are held.
        public var kinds: [RecordID: RecordKind] = [:]

        public init() {}

        /// The slots whose stored ids the page needs, given the held counters: every slot at or below them.
        public static func repeatedSlots(of revisions: [Revision], counters: [PeerID: Int64]) -> [Slot] {
            revisions.filter { $0.counter <= (counters[$0.origin] ?? 0) }.map { Slot(origin: $0.origin, counter: $0.counter) }
        }
    }

    /// The outcome: what to write.
    public struct Admitted: Sendable {
        /// The new revisions, in page order.
        public var revisions: [Revision] = []
        /// Records the page brings, with their kinds, in first-seen order.
        public var newRecords: [(id: RecordID, kind: RecordKind)] = []
        /// The new highest counter of each origin the page advanced.
        public var counters: [PeerID: Int64] = [:]
        /// Revisions that were already held (or repeated within the page).
        public var duplicates = 0
    }

    /// Checks the page against `stored` and returns what to write; throws `.invalidRevision` naming the first
    /// revision that breaks a rule, and the rule (`missing-parent`, `counter-reused`, `counter-gap`, `parent-record`,
    /// `kind-change`, `clock`).
    public static func admit(_ revisions: [Revision], stored: StoredFacts) throws(MarginCoreError) -> Admitted {
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
                    throw refusal(
                        revision, .counterReused,
                        "peer \(revision.origin) already used counter \(revision.counter) for revision \(known?.rawValue ?? "?")")
                }
                admitted.duplicates += 1
                continue
            }
            if revision.counter > held + 1 {
                throw refusal(
                    revision, .counterGap,
                    "peer \(revision.origin)'s counters jump from \(held) to \(revision.counter); send revisions in change-log order")
            }
            var clocks: [Int64] = []
            for parent in revision.parents {
                guard let owner = pageParents[parent] ?? stored.parents[parent] else {
                    throw refusal(
                        revision, .missingParent,
                        "its parent \(parent) is neither held here nor earlier in the page; send revisions in causal order")
                }
                guard owner.record == revision.record, owner.kind == revision.kind else {
                    throw refusal(revision, .parentRecord, "its parent \(parent) belongs to another record")
                }
                clocks.append(owner.clock)
            }
            try RevisionValidator.validate(revision, parentClocks: clocks)
            if let kind = kinds[revision.record] {
                if revision.parents.isEmpty, kind != revision.kind {
                    throw refusal(
                        revision, .kindChange, "record \(revision.record) is a \(kind.rawValue), not a \(revision.kind.rawValue)")
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

    private static func refusal(_ revision: Revision, _ rule: ValidationRule, _ reason: String) -> MarginCoreError {
        MarginCoreError(.invalidRevision(revision: revision.id, rule: rule, reason: reason))
    }
}
