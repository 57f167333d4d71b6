import GRDB
import MarginCore

extension MarginStore {
    // MARK: - Version vector

    /// The store's version vector: for every origin, the highest counter held. Because revisions arrive in
    /// causal order with gap-free counters, this summarises exactly which revisions the store holds.
    public func versionVector() throws -> [PeerID: Int64] {
        try read { db in try Self.versionVector(db) }
    }

    static func versionVector(_ db: Database) throws -> [PeerID: Int64] {
        var vector: [PeerID: Int64] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT origin, counter FROM sync_vector") {
            vector[PeerID(rawValue: row["origin"])] = row["counter"]
        }
        return vector
    }

    // MARK: - Sending

    /// The first page of revisions a peer holding `have` lacks, in this store's change-log order.
    ///
    /// Cost is proportional to the page, not to the history: for each origin where this store is ahead,
    /// it reads at most `limit` rows from the `(origin, counter)` index, then merges the origins by log sequence.
    /// A page holds at most `limit` revisions and stops before `maxBytes` (as measured by `size`), but always
    /// holds at least one revision when any is missing. Revisions `holding` keeps back are left out (see
    /// ``heldBack(missingFrom:origins:)``).
    public func revisions(
        missingFrom have: [PeerID: Int64], limit: Int, maxBytes: Int, holding: HeldBackRevisions = HeldBackRevisions(),
        size: (Revision) -> Int
    ) throws -> RevisionPage {
        let limit = max(1, limit)
        return try read { db in
            let local = holding.capping(try Self.versionVector(db))
            let statement = try db.cachedStatement(sql: """
                SELECT \(Revision.directColumns), seq FROM revision WHERE origin = ? AND counter > ? AND counter <= ?
                ORDER BY counter LIMIT ?
                """)
            var candidates: [(seq: Int64, revision: Revision)] = []
            for (origin, counter) in local.sorted(by: { $0.key < $1.key }) where counter > (have[origin] ?? 0) {
                try statement.each([
                    .text(origin.rawValue), .integer(have[origin] ?? 0), .integer(counter), .integer(Int64(limit)),
                ]) { row in
                    candidates.append((row.integer(10), try Revision(row)))
                }
            }
            // Within one origin, counter order is log order; across origins, the log sequence decides.
            candidates.sort { $0.seq < $1.seq }
            var page: [Revision] = []
            var bytes = 0
            var sent = have
            for candidate in candidates.prefix(limit) {
                let cost = size(candidate.revision)
                if !page.isEmpty, bytes + cost > maxBytes { break }
                page.append(candidate.revision)
                bytes += cost
                sent[candidate.revision.origin] = max(sent[candidate.revision.origin] ?? 0, candidate.revision.counter)
            }
            let more = local.contains { $0.value > (sent[$0.key] ?? 0) }
            return RevisionPage(revisions: page, more: more, proofs: try ChainSignatures.proofs(for: page, db))
        }
    }

    /// The held revision of `origin` with the highest counter, if any.
    public func newestRevision(of origin: PeerID) throws -> Revision? {
        try read { db in
            try Row.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM revision WHERE origin = ? ORDER BY counter DESC LIMIT 1"),
                arguments: [origin.rawValue]
            ).map(Revision.init(row:))
        }
    }

    /// The ids of the held revisions of `origin` with counters in `counters`, by counter.
    public func revisionIDs(of origin: PeerID, counters: ClosedRange<Int64>) throws -> [Int64: RevisionID] {
        try read { db in
            var ids: [Int64: RevisionID] = [:]
            let rows = try Row.fetchAll(
                db.cachedStatement(sql: "SELECT counter, id FROM revision WHERE origin = ? AND counter BETWEEN ? AND ?"),
                arguments: [origin.rawValue, counters.lowerBound, counters.upperBound])
            for row in rows { ids[row["counter"]] = RevisionID(rawValue: row["id"]) }
            return ids
        }
    }

    /// How many revisions this store holds that a peer holding `have` lacks (computed from vectors alone).
    public func countMissing(from have: [PeerID: Int64]) throws -> Int64 {
        try versionVector().reduce(0) { $0 + max(0, $1.value - (have[$1.key] ?? 0)) }
    }

    // MARK: - Receiving

    /// Applies a page of received revisions in one transaction: all of it, or nothing.
    ///
    /// The page's `proofs` are checked as its `sender` requires (see ``PageSender``): a page from a server may carry
    /// revisions of an origin with no known key unsigned (kept from before signatures), and a page a peer pushes may
    /// not. Every revision's hash is checked (on another thread while the page is applied, see ``PageVerification``)
    /// before anything is committed, so a page with one altered revision (even one the store already has) is
    /// rejected whole. New revisions must continue their origin's counters
    /// without a gap and name only known parents; otherwise the page is rejected and the store is unchanged.
    /// When `remote` is given, that remote's last known vector becomes `remoteVector` in the same transaction,
    /// so the checkpoint advances exactly when the page is durable.
    @discardableResult
    public func receive(
        _ revisions: [Revision], proofs: [ChainProof] = [], from sender: PageSender = .server(accounts: [:]),
        source: String, remote: String? = nil, remoteVector: [PeerID: Int64]? = nil
    ) throws -> ReceiveOutcome {
        // A pulled page is materialized here, unless a bulk load is under way (its records wait for the load's
        // end): its annotations' bodies are then kept as the check reads them. (Only a hint: a page the transaction
        // treats otherwise decodes its bodies itself, or needs none.)
        var materialized = false
        if case .server = sender { materialized = try !read { db in try BulkLoad.isPending(db) } }
        let verification = try storeErrors {
            try PageVerification(revisions, keepingAnnotationBodies: materialized)
        }
        let (outcome, placed) = try write { db in
            // An empty store's first pull of a long history materializes once, at its end (see BulkLoad).
            let deferral = try BulkLoad.deferral(of: revisions, from: sender, serverVector: remoteVector, db)
            if deferral == .heads {
                // The server's claim, which may be anything the protocol allows: summed without overflowing.
                try BulkLoadSettings.apply(forRevisions: remoteVector?.values.saturatingSum() ?? 0, db)
                bulkCheckpointer.start()
            }
            var places = try BulkLoad.identityIndexDeferred(db) ? revisionPlaces : nil
            if let full = places, full.isFull {
                // A history this long would keep too much in memory: the index comes back, and parents are looked
                // up there from this page on.
                try db.execute(sql: BulkLoad.identityIndex.create)
                full.forget()
                places = nil
            }
            var staged: StagedHeads?
            if deferral == .heads {
                if stagedHeads.isFull {
                    // So many records would keep too much in memory: their heads go where a load's end puts them.
                    try StagedHeads.fold(db)
                    stagedHeads.forget()
                }
                staged = stagedHeads
            }
            var ingest = try PageIngest(source: source, deferral: deferral, places: places, staged: staged, db)
            do {
                try ingest.add(page: revisions)
                try ingest.checkSignatures(proofs, from: sender)
            } catch {
                // A page that is both tampered with and inconsistent is reported for the tampering.
                try verification.wait()
                throw error
            }
            try verification.wait()
            try ingest.finish(annotationBodies: verification.annotationBodies())
            if let remote, let remoteVector {
                try Self.recordRemoteVector(remote, remoteVector, db)
            }
            return (ingest.outcome, ingest.placed)
        }
        // Committed: the maps take the page's rows from here instead of reading them back before the next page.
        revisionPlaces.noteCommitted(placed.revisions)
        stagedHeads.noteCommitted(placed.stagedHeads)
        return outcome
    }

    // MARK: - Conflicts

    /// How many records have concurrent revisions a person must settle.
    public func openConflictCount() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM record WHERE conflicted = 1") ?? 0 }
    }
}
