import GRDB
import MarginCore

/// Applies a page of received revisions inside one write transaction: the sync hot path (a first pull moves the
/// whole history, 100,000 revisions and more, through here).
///
/// A page is checked and appended revision by revision, in its (causal) order, exactly as one would append them
/// one at a time. What is done once per page instead of once per revision:
/// - **Duplicates** are found from the version vector: a counter above what the store holds from that origin is
///   new by construction (counters are gap-free), so only counters at or below it are looked up.
/// - **Parents** sent in the same page are checked from memory; others are looked up.
/// - **Heads and materialized values** are updated once per touched record, after the whole page: a record
///   created and then edited within a page is written to the query tables once, from its final heads.
///
/// Either the whole page is applied or, on the first bad revision, an error is thrown and the caller's transaction
/// rolls back. A page of a bulk load (see ``BulkLoad``) is checked and appended the same way, but only writes each
/// touched record's heads: its value waits for the load's end.
struct PageIngest {
    /// A record the page touches: its kind, and how the page moves its heads.
    private struct TouchedRecord {
        var kind: RecordKind
        /// Heads after the revisions seen so far (at first, the stored ones).
        var heads: [RevisionID]
        /// The page's last revision of this record.
        var last: Revision
        /// The record's first revision, when the page brings the record to this store.
        var first: Revision?
    }

    private let db: Database
    private let source: String
    private var vector: [PeerID: Int64]
    /// Origins the page advanced, with the highest clock received from each.
    private var advanced: [PeerID: Int64] = [:]
    /// The page's new revisions so far: record and kind, for checking parents sent in the same page.
    private var pageRevisions: [RevisionID: (record: RecordID, kind: RecordKind, clock: Int64)] = [:]
    private var touched: [RecordID: TouchedRecord] = [:]
    /// Each advanced origin's chain after the page's revisions of it, and its first new revision in the page.
    private var chains: [PeerID: (chain: RevisionChain, first: RevisionID)] = [:]
    /// Touched records in first-touch order, so that materialization follows the page's (causal) order.
    private var touchOrder: [RecordID] = []
    private(set) var outcome = ReceiveOutcome(accepted: 0, duplicates: 0)
    /// A page of a bulk load (see ``BulkLoad``): ``finish()`` writes each touched record's heads but leaves its
    /// value to the load's single materialization at the end.
    private let defersMaterialization: Bool

    init(source: String, defersMaterialization: Bool = false, _ db: Database) throws {
        self.db = db
        self.source = source
        self.defersMaterialization = defersMaterialization
        self.vector = try MarginStore.versionVector(db)
    }

    /// Checks and appends one revision (its hash already verified). Materialization waits for ``finish()``.
    mutating func add(_ revision: Revision) throws {
        let held = vector[revision.origin] ?? 0
        if revision.counter <= held {
            try checkDuplicate(revision)
            outcome.duplicates += 1
            return
        }
        if revision.counter > held + 1 {
            throw MarginStoreError(.inconsistentRevision(
                revision: revision.id, rule: .counterGap,
                reason: "peer \(revision.origin)'s counters jump from \(held) to \(revision.counter); send revisions in change-log order"))
        }
        try checkParents(of: revision)
        var record = try touchedRecord(revision)
        if revision.parents.isEmpty, record.kind != revision.kind {
            throw MarginStoreError(.inconsistentRevision(
                revision: revision.id, rule: .kindChange,
                reason: "record \(revision.record) is a \(record.kind.rawValue), not a \(revision.kind.rawValue)"))
        }
        try RevisionLedger.insert(revision, source: source, db)
        if let advanced = chains[revision.origin] {
            chains[revision.origin] = (advanced.chain.appending(revision.id), advanced.first)
        } else {
            chains[revision.origin] = (try OriginChains.head(of: revision.origin, db).chain.appending(revision.id), revision.id)
        }
        vector[revision.origin] = revision.counter
        advanced[revision.origin] = max(advanced[revision.origin] ?? 0, revision.clock)
        pageRevisions[revision.id] = (revision.record, revision.kind, revision.clock)
        // Causal delivery means no known revision names this one as a parent: it is always a new head.
        let parents = Set(revision.parents)
        record.heads.removeAll { parents.contains($0) }
        record.heads.append(revision.id)
        record.last = revision
        touched[revision.record] = record
        outcome.accepted += 1
    }

    /// Advances the version vector, then writes each touched record's heads and materialized value, once per
    /// record; what can wait (search entries, short identities) is done once, last (see ``MaterializationBatch``).
    func finish() throws {
        for (origin, clock) in advanced {
            guard let chain = chains[origin]?.chain else { continue }
            try RevisionLedger.advanceVector(origin: origin, counter: vector[origin] ?? 0, clock: clock, chain: chain, db)
        }
        if defersMaterialization {
            for id in touchOrder {
                guard let record = touched[id] else { continue }
                try BulkLoad.noteHeads(of: id, kind: record.kind, heads: record.heads, db)
            }
            return
        }
        let batch = MaterializationBatch()
        for id in touchOrder {
            guard let record = touched[id] else { continue }
            if let first = record.first, first.id != record.last.id {
                // A record's first revision sets what never changes afterwards (an annotation's author and
                // creation time), exactly as when the revisions arrive one per page.
                try Materializer.refresh(first, in: batch, db)
            }
            if record.heads == [record.last.id] {
                // One head, the page's last revision of the record: it is the current value, nothing to merge.
                try Materializer.refresh(record.last, in: batch, db)
            } else {
                try Materializer.refresh(record: id, kind: record.kind, heads: record.heads, in: batch, db)
            }
        }
        try batch.finish(db)
    }

    /// Checks that the page's new revisions are signed as `sender` requires, and keeps the signatures and the
    /// bindings they establish (see ``SignatureCheck``). Runs after every ``add(_:)`` and before ``finish()``.
    func checkSignatures(_ proofs: [ChainProof], from sender: PageSender) throws {
        let check = SignatureCheck(sender: sender, db)
        // The pusher's own origin first (it may introduce the key its other identities share), then by origin, so
        // that a page with several faults is always refused for the same one.
        func rank(_ origin: PeerID) -> (Int, String) { (origin == sender.pushingOrigin ? 0 : 1, origin.rawValue) }
        let ordered = chains.sorted { rank($0.key) < rank($1.key) }
        for (origin, advanced) in ordered {
            try check.verify(
                origin: origin, through: vector[origin] ?? 0, chain: advanced.chain, firstNew: advanced.first,
                proofs: proofs)
        }
    }

    /// A counter the store already holds from that origin: the same revision again is harmless, a different one
    /// means the origin reused a counter.
    private func checkDuplicate(_ revision: Revision) throws {
        let knownID = try String.fetchOne(
            db.cachedStatement(sql: "SELECT id FROM revision WHERE origin = ? AND counter = ?"),
            arguments: [revision.origin.rawValue, revision.counter])
        if knownID == revision.id.rawValue { return }
        throw MarginStoreError(.inconsistentRevision(
            revision: revision.id, rule: .counterReused,
            reason: "peer \(revision.origin) already used counter \(revision.counter) for revision \(knownID ?? "?")"))
    }

    /// Every parent is held (or earlier in the page), belongs to the same record, and has a lower clock.
    private func checkParents(of revision: Revision) throws {
        guard !revision.parents.isEmpty else { return }
        let lookup = try db.cachedStatement(sql: "SELECT record_id, kind, clock FROM revision WHERE id = ?")
        var clocks: [Int64] = []
        clocks.reserveCapacity(revision.parents.count)
        for parent in revision.parents {
            let owner: (record: String, kind: String, clock: Int64)
            if let known = pageRevisions[parent] {
                owner = (known.record.rawValue, known.kind.rawValue, known.clock)
            } else if let stored = try lookup.first([.text(parent.rawValue)], { ($0.text(0) ?? "", $0.text(1) ?? "", $0.integer(2)) }) {
                owner = stored
            } else {
                throw MarginStoreError(.missingParent(revision: revision.id, parent: parent))
            }
            guard owner.record == revision.record.rawValue, owner.kind == revision.kind.rawValue else {
                throw MarginStoreError(.inconsistentRevision(
                    revision: revision.id, rule: .parentRecord, reason: "its parent \(parent) belongs to another record"))
            }
            clocks.append(owner.clock)
        }
        try storeErrors { try RevisionValidator.validate(revision, parentClocks: clocks) }
    }

    /// The page's state of the revision's record, loaded from the store on first touch.
    private mutating func touchedRecord(_ revision: Revision) throws -> TouchedRecord {
        if let record = touched[revision.record] { return record }
        var record = TouchedRecord(kind: revision.kind, heads: [], last: revision, first: revision)
        if let stored = try db.cachedStatement(sql: "SELECT kind, heads FROM record WHERE id = ?")
            .first([.text(revision.record.rawValue)], { (kind: $0.text(0) ?? "", heads: $0.text(1) ?? "[]") })
        {
            record.kind = RecordKind(rawValue: stored.kind)
            record.first = nil
            record.heads = try ParentList.decode(stored.heads)
        }
        touchOrder.append(revision.record)
        return record
    }
}
