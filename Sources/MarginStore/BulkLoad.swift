import GRDB
import MarginCore

/// The first pull of a long history into an empty store, materialized once at the end instead of page by page.
///
/// A new peer's first pull moves the server's whole history. Page by page, the store would write each touched
/// record's query rows (report, sections, annotation, search entries) again and again as later pages edit it. In a
/// bulk load, each page is checked exactly as any other (hashes, counters, parents, signatures) and appended to the
/// revision ledger with the version vector and the remote's checkpoint, but a touched record only gets its kind and
/// heads staged (see ``StagedHeads``). When the pull is over, ``MarginStore/finishBulkLoad()`` writes each staged
/// record's latest heads into `record`, with an empty `current_revision` that says "not materialized yet", and
/// materializes every such record once, from those heads.
///
/// The load is marked in `store_info` (``pendingKey``) in the transaction of its first page and unmarked in the
/// transaction of its last materialized record. While it is marked, every pulled page goes the same way, so that
/// a sync killed anywhere leaves a store that the next `margin sync` completes: pages not yet pulled are pulled,
/// records not yet materialized are materialized. Materializing works in chunks of records, each one transaction;
/// a record is marked materialized in the chunk that does it, so none is done twice, and one that a later page
/// touches again is marked pending again when its new heads are folded in.
///
/// While the pages come in, the revision table has neither its index by record (``recordIndex``) nor its unique
/// index by identity (``identityIndex``): both are dropped when the load starts, on an empty table, and built once,
/// sorted, when the pages are in (``finishBulkLoad()`` starts with them). Kept up page by page, each cost a random
/// B-tree insert per revision, and the pages of a long history touched so many of their leaves that each commit
/// rewrote most of them. Meanwhile:
/// - identities stay unique without the index: a page's duplicates are found by origin and counter, which stay
///   unique by their own index, and an identity is the hash of a revision's content, origin and counter included;
/// - the parents a page names are found by identity in ``RevisionPlaces``, which this process keeps in memory;
/// - a store stopped before the end answers other queries by record or by identity without them (by scanning)
///   until the next `margin sync` or read finishes the load.
enum BulkLoad {
    /// An index the pages of a bulk load leave out: its name, and the statement that builds it.
    struct DeferredIndex {
        let name: String
        let create: String
    }

    /// The revision table's index by record, as the schema makes it (see ``StoreSchema``).
    static let recordIndex = DeferredIndex(
        name: "revision_by_record", create: "CREATE INDEX IF NOT EXISTS revision_by_record ON stored_revision(record_id)")
    /// The revision table's unique index by identity, as the schema makes it (see ``StoreSchema``).
    static let identityIndex = DeferredIndex(
        name: "revision_by_id", create: "CREATE UNIQUE INDEX IF NOT EXISTS revision_by_id ON stored_revision(id)")
    /// Every index the pages of a bulk load leave out.
    static let deferredIndexes = [identityIndex, recordIndex]

    /// The annotation table's indexes by section, by report and of orphaned notes, as the schema makes them (see
    /// ``StoreSchema``). While many annotations are materialized (``MarginStore/finishBulkLoad()``), they are left out
    /// and built once, sorted, after the last: kept up note by note, each insert went into the middle of both
    /// indexes (notes come in identity order, not by section), and each chunk's commit rewrote their touched pages.
    /// Inserting 600,000 notes' rows on 252 sections in chunks of 5,000 (Python's `sqlite3`): 9.1–9.5 s with the
    /// indexes, 4.6 s without and 1.7–1.9 s to build them after; on 40,000 sections, 19.9 s against 5.4 + 2.1 s.
    /// Nothing materializing an annotation reads them: its row is found by identity.
    static let annotationIndexes = [
        DeferredIndex(
            name: "annotation_by_section",
            create: "CREATE INDEX IF NOT EXISTS annotation_by_section ON annotation(section_id)"),
        DeferredIndex(
            name: "annotation_by_report",
            create: "CREATE INDEX IF NOT EXISTS annotation_by_report ON annotation(report_id, deleted, conflicted)"),
        DeferredIndex(
            name: "annotation_orphaned",
            create: "CREATE INDEX IF NOT EXISTS annotation_orphaned ON annotation(anchor_status) WHERE anchor_status = 'orphaned'"),
    ]

    /// Builds the indexes a bulk load left out (its pages, or its materialization of annotations), if they are
    /// missing.
    static func buildDeferredIndexes(_ db: Database) throws {
        for index in deferredIndexes + annotationIndexes { try db.execute(sql: index.create) }
    }

    /// Drops the annotation indexes, to be built again by ``buildDeferredIndexes(_:)``.
    static func dropAnnotationIndexes(_ db: Database) throws {
        for index in annotationIndexes { try db.execute(sql: "DROP INDEX IF EXISTS \(index.name)") }
    }

    /// Whether the revision table lacks its index by identity (a bulk load's pages are coming in).
    static func identityIndexDeferred(_ db: Database) throws -> Bool {
        try !(Bool.fetchOne(
            db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ?)"),
            arguments: [identityIndex.name]) ?? false)
    }

    /// The `store_info` key present while a bulk load is under way.
    static let pendingKey = "bulk_load_pending"
    /// `record.current_revision` of a record whose heads are written but whose value is not materialized.
    static let unmaterialized = ""

    /// What a received page leaves for later. A push to a store that is only served (``MarginStore/markServesOnly()``)
    /// keeps the ledger only (see ``LedgerOnlyIngest``), and so does every page while records touched that way wait
    /// for their heads; either is marked as a load (``pendingKey``) that waits for the store to be opened to be read.
    /// Otherwise a page is part of a bulk load while one is under way, or when a server sends an empty store the
    /// first page of a history longer than that page (the load starts, and is marked, in the caller's transaction).
    /// Any other store, and every other push, receives page by page.
    static func deferral(
        of revisions: [Revision], from sender: PageSender, serverVector: [PeerID: Int64]?, _ db: Database
    ) throws -> PageIngest.Deferral {
        let pushToServer: Bool
        if case .pusher = sender { pushToServer = try MarginStore.servesOnly(db) } else { pushToServer = false }
        let marked = try LedgerOnlyIngest.since(db) != nil
        if pushToServer || marked {
            // The mark, the load's mark and the index by record are set together and outlive every later page.
            if !marked {
                try LedgerOnlyIngest.begin(db)
                try db.execute(
                    sql: "INSERT OR IGNORE INTO store_info (key, value) VALUES (?, ?)", arguments: [pendingKey, "push"])
            }
            return .ledgerOnly
        }
        if try isPending(db) { return .heads }
        guard case .server = sender, let serverVector, !revisions.isEmpty else { return .none }
        guard try !(Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM revision)") ?? false) else { return .none }
        var afterPage: [PeerID: Int64] = [:]
        for revision in revisions { afterPage[revision.origin] = max(afterPage[revision.origin] ?? 0, revision.counter) }
        guard serverVector.contains(where: { $0.value > (afterPage[$0.key] ?? 0) }) else { return .none }
        try db.execute(
            sql: "INSERT OR REPLACE INTO store_info (key, value) VALUES (?, ?)", arguments: [pendingKey, "pull"])
        for index in deferredIndexes { try db.execute(sql: "DROP INDEX IF EXISTS \(index.name)") }
        return .heads
    }

    /// Whether a bulk load is under way (its pages or its materialization not finished).
    static func isPending(_ db: Database) throws -> Bool {
        try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM store_info WHERE key = ?)"), arguments: [pendingKey]
        ) ?? false
    }

    /// Writes a record's kind and heads after a page of a bulk load, and marks it as waiting for materialization.
    static func noteHeads(of record: RecordID, kind: RecordKind, heads: [RevisionID], _ db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO record (id, kind, current_revision, head_count, conflicted, heads) VALUES (?, ?, ?, ?, 0, ?)
            ON CONFLICT(id) DO UPDATE SET current_revision = excluded.current_revision,
                head_count = excluded.head_count, heads = excluded.heads
            """
        ).execute(arguments: [
            record.rawValue, kind.rawValue, unmaterialized, heads.count,
            ParentList.encode(heads.sorted { $0.rawValue < $1.rawValue }),
        ])
    }
}

extension MarginStore {
    /// Whether a bulk load (an empty store's first pull of a long history) is under way: some pulled records are
    /// not materialized yet, so listings and searches are incomplete until ``finishBulkLoad()`` (which the next
    /// `margin sync` calls) has run.
    public func bulkLoadPending() throws -> Bool {
        try read { db in try BulkLoad.isPending(db) }
    }

    /// Ends a bulk load, if one is under way: materializes every record its pages brought, once, from its final
    /// heads (reports first, so that annotations are placed on their sections), indexes the reports' sections for
    /// search, and unmarks the load. Does nothing otherwise.
    ///
    /// Works in chunks of ``BulkMaterialization/chunkSize`` records, one transaction each, so that memory and the
    /// write-ahead log stay small; a run stopped anywhere is continued by the next call. Returns the number of
    /// records it materialized.
    ///
    /// - Parameter progress: called after each chunk with the records materialized so far and the number that
    ///   waited when the work began (a first pull of a million revisions takes some twenty seconds here).
    @discardableResult
    public func finishBulkLoad(progress: (_ done: Int, _ total: Int) -> Void = { _, _ in }) throws -> Int {
        try finishBulkLoad(chunkSize: BulkMaterialization.chunkSize, progress: progress)
    }

    /// ``finishBulkLoad(progress:)`` in chunks of `chunkSize` records; `inChunk` runs inside each chunk's
    /// transaction, after its records are materialized and before it commits (given the number of records), so
    /// that a test can fail one.
    @discardableResult
    func finishBulkLoad(
        chunkSize: Int, inChunk: (Int) throws -> Void = { _ in }, progress: (_ done: Int, _ total: Int) -> Void = { _, _ in }
    ) throws -> Int {
        guard try bulkLoadPending() else { return 0 }
        bulkCheckpointer.start()
        defer { bulkCheckpointer.stop() }
        try write { db in
            try BulkLoadSettings.apply(forRevisions: 0, db)
            try BulkLoad.buildDeferredIndexes(db)
        }
        revisionPlaces.forget()
        var done = 0
        var finished = false
        // The next chunk is read on another connection while this one is written (see `BulkPrefetch`).
        try withConcurrentReader { reader in
            while !finished {
                // The heads the pages staged go into their records, in identity order (see `StagedHeads`).
                try write { db in try StagedHeads.fold(db) }
                stagedHeads.forget()
                // Records that pushes to a store that is only served left without heads get them next.
                while try write({ db in
                    guard let count = try LedgerOnlyIngest.resolveChunk(limit: chunkSize, db) else { return false }
                    try inChunk(count)
                    return true
                }) {}
                let waiting = try read { db in try BulkMaterialization.unmaterializedCount(db) } + done
                for phase in BulkMaterialization.Phase.allCases {
                    // More notes than a chunk: their indexes by section and by report are built after them.
                    let defersIndexes = try phase == .annotations && write { db in
                        guard try BulkMaterialization.unmaterializedCount(.annotations, db) > chunkSize else { return false }
                        try BulkLoad.dropAnnotationIndexes(db)
                        return true
                    }
                    var after: Int64 = 0
                    var ahead: BulkPrefetch? = BulkPrefetch(phase, after: after, limit: chunkSize, reader: reader)
                    while true {
                        let prepared = ahead?.wait() ?? PreparedChunk()
                        ahead = prepared.last.map { BulkPrefetch(phase, after: $0, limit: chunkSize, reader: reader) }
                        guard let chunk = try write({ db in
                            let chunk = try BulkMaterialization.materializeChunk(
                                phase, after: after, limit: chunkSize, prepared: prepared, db)
                            if let chunk { try inChunk(chunk.count) }
                            return chunk
                        }) else { break }
                        done += chunk.count
                        after = chunk.last
                        progress(done, max(done, waiting))
                    }
                    // (Should a chunk fail, the next call builds them before anything else.)
                    if defersIndexes { try write { db in try BulkLoad.buildDeferredIndexes(db) } }
                }
                finished = try write { db in
                    // A page pulled meanwhile (by another sync of this store) left records waiting: another round.
                    guard try !BulkMaterialization.anyUnmaterialized(db), try !StagedHeads.anyStaged(db),
                        try LedgerOnlyIngest.since(db) == nil
                    else {
                        return false
                    }
                    try SectionIndexes.catchUp(db)
                    try db.execute(sql: "DELETE FROM store_info WHERE key = ?", arguments: [BulkLoad.pendingKey])
                    return true
                }
            }
        }
        // Stopped first, so that its checkpoint cannot keep the one below from emptying the log.
        bulkCheckpointer.stop()
        try storeErrors {
            try database.writeWithoutTransaction { db in
                try BulkLoadSettings.restore(db)
                BulkLoadSettings.emptyLog(db)
            }
        }
        return done
    }
}
