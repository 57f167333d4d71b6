import GRDB
import MarginCore

/// Applies a page of received revisions inside one write transaction: the sync hot path (a first pull moves the
/// whole history, 100,000 revisions and more, through here).
///
/// A page is judged whole by the domain's `PageAdmission` (the rules every store applies, the PostgreSQL store's
/// too), from what this store holds as far as the page needs it; then its new revisions are appended in page
/// (causal) order, several to a statement while a bulk load leaves the table's indexes out (see ``MultiRowInsert``).
/// What is done once per page instead of once per revision:
/// - **Duplicates** are found from the version vector: a counter above what the store holds from that origin is
///   new by construction (counters are gap-free), so only counters at or below it are looked up.
/// - **Parents** sent in the same page are known from the page; only others are looked up.
/// - **Heads and materialized values** are updated once per touched record, after the whole page: a record
///   created and then edited within a page is written to the query tables once, from its final heads.
///
/// Either the whole page is applied or, on the first bad revision, an error is thrown and the caller's transaction
/// rolls back. A page of a bulk load (see ``BulkLoad``) is checked and appended the same way, but only writes each
/// touched record's heads: its value waits for the load's end. A push to a store that is only served (see
/// ``LedgerOnlyIngest``) writes neither: its records' kinds are read from the ledger, and their heads wait too.
struct PageIngest {
    /// A record the page touches: its kind, and how the page moves its heads.
    private struct TouchedRecord {
        var id: RecordID
        var kind: RecordKind
        /// Heads after the revisions seen so far (at first, the stored ones).
        var heads: [RevisionID]
        /// The page's last revision of this record (its place in ``appended``).
        var last: Int
        /// The record's first revision, when the page brings the record to this store (its place in ``appended``).
        var first: Int?
    }

    /// How the page advances one origin.
    private struct OriginProgress {
        /// The origin's chain after the page's revisions of it so far.
        var chain: RevisionChain
        /// The page's first new revision of the origin.
        var first: RevisionID
        /// The highest clock received from the origin.
        var clock: Int64
    }

    private let db: Database
    private let source: String
    private var vector: [PeerID: Int64]
    /// The origins the page advanced.
    private var progress: [PeerID: OriginProgress] = [:]
    /// The page's new revisions, in page (causal) order.
    private var appended: [Revision] = []
    /// Touched records in first-touch order, so that materialization follows the page's (causal) order.
    private var touched: [TouchedRecord] = []
    /// Where each touched record is in ``touched``.
    private var touchedIndex: [RecordID: Int] = [:]
    /// The kind and heads of held records the page touches, as read before the page was judged.
    private var heldRecords: [RecordID: (kind: RecordKind, heads: [RevisionID])] = [:]
    private(set) var outcome = ReceiveOutcome(accepted: 0, duplicates: 0)
    /// Where the page put its revisions and staged heads, for the in-memory maps once the page is committed (see
    /// ``Placed``); empty when the page uses neither map.
    private(set) var placed = Placed()

    /// Rows a page appended that the in-memory maps of a bulk load (``RevisionPlaces``, ``StagedHeads``) would
    /// otherwise read back from the tables before the next page: given to them once the page is committed.
    struct Placed: Sendable {
        /// Each appended revision's identity and `seq`, when the page looked parents up in ``RevisionPlaces``.
        var revisions: [(id: RevisionID, seq: Int64)] = []
        /// Each staged record and the row of its heads, when the page staged heads (see ``StagedHeads``).
        var stagedHeads: [(record: RecordID, row: Int64)] = []
    }
    /// What the page leaves for later, if anything.
    private let deferral: Deferral
    /// Where held parents are found while the revision table lacks its index by identity (during a bulk load's
    /// pages); nil when the index is there.
    private let places: RevisionPlaces?
    /// Where a bulk load's pages find the heads they staged (see ``StagedHeads``); nil for other pages.
    private let staged: StagedHeads?

    /// What a page leaves for later.
    enum Deferral {
        /// Nothing: each touched record's heads and value are written.
        case none
        /// A page of a bulk load (see ``BulkLoad``): ``finish()`` stages each touched record's heads (see
        /// ``StagedHeads``) and leaves its value to the load's single materialization at the end.
        case heads
        /// A push to a store that is only served (see ``LedgerOnlyIngest``): the revisions and the vector only.
        case ledgerOnly
    }

    init(
        source: String, deferral: Deferral = .none, places: RevisionPlaces? = nil, staged: StagedHeads? = nil,
        _ db: Database
    ) throws {
        self.db = db
        self.source = source
        self.deferral = deferral
        self.places = places
        self.staged = staged
        self.vector = try MarginStore.versionVector(db)
    }

    /// Judges the page (its hashes already verified, or being verified) against what the store holds, then appends
    /// its new revisions; throws `.core(.invalidRevision)` naming the first revision that breaks a rule, with nothing
    /// appended. Materialization waits for ``finish()``.
    mutating func add(page revisions: [Revision]) throws {
        let stored = try storedFacts(for: revisions)
        let admitted = try storeErrors { try PageAdmission.admit(revisions, stored: stored) }
        outcome.duplicates += admitted.duplicates
        if deferral != .ledgerOnly {
            appended.reserveCapacity(appended.count + admitted.revisions.count)
            touched.reserveCapacity(touched.count + admitted.revisions.count)
            touchedIndex.reserveCapacity(touchedIndex.count + admitted.revisions.count)
        }
        // The origins' chains are read before the page's rows are in (a store older than chains computes one from
        // its rows).
        for revision in admitted.revisions { try advance(by: revision) }
        guard places != nil else {
            // The revision table has its indexes by identity and by record, where each row goes somewhere in the
            // middle: statements of many rows were slower there (see `MultiRowInsert`), one per row it is.
            for revision in admitted.revisions { try RevisionLedger.insert(revision, source: source, db) }
            return
        }
        // A bulk load's pages: the table lacks those indexes, and its rows go several to a statement.
        let seqs = try RevisionLedger.insert(admitted.revisions, source: source, db)
        placed.revisions.reserveCapacity(placed.revisions.count + seqs.count)
        for (revision, seq) in zip(admitted.revisions, seqs) { placed.revisions.append((revision.id, seq)) }
    }

    /// Takes one admitted revision into the origins' progress and the version vector, and moves its record's heads
    /// (unless the page keeps the ledger only); ``add(page:)`` appends the page's revisions after.
    private mutating func advance(by revision: Revision) throws {
        var origin = try progress[revision.origin]
            ?? OriginProgress(chain: OriginChains.head(of: revision.origin, db).chain, first: revision.id, clock: 0)
        origin.chain = origin.chain.appending(revision.id)
        origin.clock = max(origin.clock, revision.clock)
        progress[revision.origin] = origin
        vector[revision.origin] = revision.counter
        outcome.accepted += 1
        guard deferral != .ledgerOnly else { return }
        let place = appended.count
        appended.append(revision)
        let index = touchedRecord(revision, at: place)
        // Causal delivery means no known revision names this one as a parent: it is always a new head.
        if !revision.parents.isEmpty {
            touched[index].heads.removeAll { revision.parents.contains($0) }
        }
        touched[index].heads.append(revision.id)
        touched[index].last = place
    }

    /// What `PageAdmission` needs to know of the store for `revisions`: the held counters of their origins, the ids
    /// held at the slots they repeat, the held parents not sent in the page, and the kinds of their held records.
    /// The records' heads read on the way are kept for ``touchedRecord(_:at:)``.
    private mutating func storedFacts(for revisions: [Revision]) throws -> PageAdmission.StoredFacts {
        var stored = PageAdmission.StoredFacts()
        for revision in revisions where stored.counters[revision.origin] == nil {
            stored.counters[revision.origin] = vector[revision.origin] ?? 0
        }
        let slotLookup = try db.cachedStatement(sql: "SELECT id FROM revision WHERE origin = ? AND counter = ?")
        for slot in PageAdmission.StoredFacts.repeatedSlots(of: revisions, counters: stored.counters)
        where stored.ids[slot] == nil {
            if let id = try String.fetchOne(slotLookup, arguments: [slot.origin.rawValue, slot.counter]) {
                stored.ids[slot] = RevisionID(rawValue: id)
            }
        }
        // A parent the page brings new (its counter is above the held one) is not held: it is known from the page.
        // Any other parent is looked up, one the page repeats included.
        let sentNew = Set(revisions.filter { $0.counter > (stored.counters[$0.origin] ?? 0) }.map(\.id))
        try places?.catchUp(db)
        for revision in revisions {
            for parent in revision.parents where !sentNew.contains(parent) && stored.parents[parent] == nil {
                // While the identity index is left out, the map's miss means "not held": no table lookup then.
                if let places {
                    stored.parents[parent] = try places.parentFacts(of: parent, db)
                } else {
                    stored.parents[parent] = try RevisionPlaces.parentFactsFromTable(of: parent, db)
                }
            }
        }
        var looked = Set<RecordID>()
        if deferral == .ledgerOnly {
            // Records keep no row while the store is only served: their kinds are read from their revisions. A held
            // parent of the same record, looked up above, already says it (every revision of a record has its kind);
            // only the others are read.
            var unknown: [String] = []
            for revision in revisions where looked.insert(revision.record).inserted {
                let heldParent = revision.parents.lazy.compactMap { stored.parents[$0] }
                    .first { $0.record == revision.record }
                if let kind = heldParent?.kind {
                    stored.kinds[revision.record] = kind
                } else {
                    unknown.append(revision.record.rawValue)
                }
            }
            try LedgerOnlyIngest.kinds(of: unknown, db) { stored.kinds[$0] = $1 }
            return stored
        }
        try staged?.catchUp(db)
        var unstaged: [String] = []
        for revision in revisions where looked.insert(revision.record).inserted {
            // Heads a bulk load staged are the latest; a record without any is looked up in its table.
            if let held = try staged?.held(revision.record, db) {
                stored.kinds[revision.record] = held.kind
                heldRecords[revision.record] = held
            } else {
                unstaged.append(revision.record.rawValue)
            }
        }
        var heldRows: [(record: RecordID, kind: RecordKind, heads: String)] = []
        // While a first pull's pages come in, `record` stays empty until heads are folded into it: nothing to look up.
        if !unstaged.isEmpty, try Self.anyRecord(db) {
            let query = "SELECT id, kind, heads FROM record WHERE id IN ("
            try RecordLookup.forEachRow(query, ")", ids: unstaged, db) { row in
                heldRows.append((RecordID(rawValue: row[0]), RecordKind(rawValue: row[1] ?? ""), row[2] ?? "[]"))
            }
        }
        for held in heldRows {
            stored.kinds[held.record] = held.kind
            heldRecords[held.record] = (held.kind, try ParentList.decode(held.heads))
        }
        return stored
    }

    private static func anyRecord(_ db: Database) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM record)")) ?? false
    }

    /// Advances the version vector, then writes each touched record's heads and materialized value, once per
    /// record; what can wait (search entries, short identities) is done once, last (see ``MaterializationBatch``).
    /// `annotationBodies` are bodies of the page's annotation revisions already read (by ``PageVerification``).
    mutating func finish(annotationBodies: [RevisionID: AnnotationBody] = [:]) throws {
        for (origin, advanced) in progress {
            try RevisionLedger.advanceVector(
                origin: origin, counter: vector[origin] ?? 0, clock: advanced.clock, chain: advanced.chain, db)
        }
        switch deferral {
        case .ledgerOnly:
            return
        case .heads:
            let rows = try StagedHeads.stage(touched.map { ($0.id, $0.kind, $0.heads) }, db)
            if staged != nil { placed.stagedHeads = zip(touched, rows).map { ($0.id, $1) } }
            return
        case .none:
            break
        }
        let batch = MaterializationBatch()
        let known = KnownFacts(bodies: annotationBodies)
        for record in touched {
            let last = appended[record.last]
            if let first = record.first, first != record.last {
                // A record's first revision sets what never changes afterwards (an annotation's author and
                // creation time), exactly as when the revisions arrive one per page.
                try Materializer.refresh(appended[first], known: known, in: batch, db)
            }
            if record.heads == [last.id] {
                // One head, the page's last revision of the record: it is the current value, nothing to merge.
                try Materializer.refresh(last, known: known, in: batch, db)
            } else {
                try Materializer.refresh(
                    record: record.id, kind: record.kind, heads: record.heads, known: known, in: batch, db)
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
        let ordered = progress.sorted { rank($0.key) < rank($1.key) }
        for (origin, advanced) in ordered {
            try check.verify(
                origin: origin, through: vector[origin] ?? 0, chain: advanced.chain, firstNew: advanced.first,
                proofs: proofs)
        }
    }

    /// Where the revision's record is in ``touched``; on first touch, it is added as the store held it.
    private mutating func touchedRecord(_ revision: Revision, at place: Int) -> Int {
        if let index = touchedIndex[revision.record] { return index }
        var record = TouchedRecord(id: revision.record, kind: revision.kind, heads: [], last: place, first: place)
        if let held = heldRecords[revision.record] {
            record.kind = held.kind
            record.first = nil
            record.heads = held.heads
        }
        touchedIndex[revision.record] = touched.count
        touched.append(record)
        return touched.count - 1
    }
}
