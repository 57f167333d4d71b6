import Foundation
import Logging
import MarginCore
import PostgresNIO

extension PostgresRevisionRepository {
    /// What applying a received page did.
    public struct ReceiveOutcome: Sendable, Equatable {
        /// Revisions that were new and are now stored.
        public var accepted: Int
        /// Revisions that were already stored (a page received twice is harmless).
        public var duplicates: Int

        /// Makes an outcome.
        public init(accepted: Int, duplicates: Int) {
            self.accepted = accepted
            self.duplicates = duplicates
        }
    }

    /// Applies a page of received revisions in one transaction: all of it, or nothing.
    ///
    /// Every revision is checked on its own first (`Revision.verify()`: hash, formats, ranges, body), so a page with
    /// one altered revision, even one already held, is rejected whole and for that. Then the page is judged against
    /// the database by the embedded store's rules (see ``PageAdmission``) and written. `source` is kept with each new
    /// revision (e.g. `push:PEER`). A collision with another writer is resolved by judging the page again (see the
    /// type's notes).
    ///
    /// Throws ``PostgresRevisionStoreError``: with a ``PostgresRevisionStoreError/rejection`` for a bad page, and
    /// `.contention` or `.database` otherwise; the database is unchanged in every case.
    @discardableResult
    public func receive(_ revisions: [Revision], source: String) async throws -> ReceiveOutcome {
        for revision in revisions {
            do {
                try revision.verify()
            } catch {
                throw PostgresRevisionStoreError(.core(error))
            }
        }
        if revisions.isEmpty { return ReceiveOutcome(accepted: 0, duplicates: 0) }
        var attempt = 1
        while true {
            do {
                return try await PostgresTransaction.run(client, isolation: .repeatableRead, logger: logger) { connection in
                    try await apply(revisions, source: source, connection)
                }
            } catch where PostgresTransaction.isConflict(error) {
                noteConflict()
                guard attempt < Self.maximumAttempts else {
                    throw PostgresRevisionStoreError(.contention(attempts: attempt))
                }
                // The other writer is committing now; a short, growing, jittered pause lets it finish.
                try await Task.sleep(for: .milliseconds(Int.random(in: 1...(5 * attempt))))
                attempt += 1
            } catch {
                throw Self.storeError(from: error)
            }
        }
    }

    /// Judges and writes the page in the current transaction.
    private func apply(_ revisions: [Revision], source: String, _ connection: PostgresConnection) async throws
        -> ReceiveOutcome
    {
        let stored = try await storedFacts(for: revisions, connection)
        let admitted = try PageAdmission.admit(revisions, stored: stored)
        if !admitted.newRecords.isEmpty {
            // A plain insert: a record another server inserted since this snapshot is a unique violation, and the
            // page is judged again (where that record's kind is then known).
            let ids = admitted.newRecords.map(\.id.rawValue)
            let kinds = admitted.newRecords.map(\.kind.rawValue)
            try await connection.query(
                "INSERT INTO record (id, kind) SELECT * FROM unnest(\(ids)::text[], \(kinds)::text[])", logger: logger)
        }
        let loggedAt = Int64((Date().timeIntervalSince1970 * 1000).rounded())
        try await RevisionRow.insert(admitted.revisions, source: source, loggedAt: loggedAt, connection, logger: logger)
        if !admitted.counters.isEmpty {
            // Sorted, so that two servers advancing the same origins lock their rows in one order.
            let advanced = admitted.counters.sorted { $0.key < $1.key }
            let origins = advanced.map(\.key.rawValue)
            let counters = advanced.map(\.value)
            try await connection.query("""
                INSERT INTO sync_vector (origin, counter) SELECT * FROM unnest(\(origins)::text[], \(counters)::int8[])
                ON CONFLICT (origin) DO UPDATE SET counter = GREATEST(sync_vector.counter, excluded.counter)
                """, logger: logger)
        }
        return ReceiveOutcome(accepted: admitted.revisions.count, duplicates: admitted.duplicates)
    }

    /// Reads what the page's judgement needs, from the transaction's snapshot: four indexed lookups.
    private func storedFacts(for revisions: [Revision], _ connection: PostgresConnection) async throws
        -> PageAdmission.StoredFacts
    {
        var stored = PageAdmission.StoredFacts()
        let origins = Array(Set(revisions.map(\.origin.rawValue)))
        for try await (origin, counter) in try await connection.query(
            "SELECT origin, counter FROM sync_vector WHERE origin = ANY(\(origins)::text[])", logger: logger
        ).decode((String, Int64).self) {
            stored.counters[PeerID(rawValue: origin)] = counter
        }

        let repeated = PageAdmission.StoredFacts.repeatedSlots(of: revisions, counters: stored.counters)
        if !repeated.isEmpty {
            let slotOrigins = repeated.map(\.origin.rawValue)
            let slotCounters = repeated.map(\.counter)
            for try await (origin, counter, id) in try await connection.query("""
                SELECT revision.origin, revision.counter, revision.id
                FROM unnest(\(slotOrigins)::text[], \(slotCounters)::int8[]) AS slot(origin, counter)
                JOIN revision ON revision.origin = slot.origin AND revision.counter = slot.counter
                """, logger: logger
            ).decode((String, Int64, String).self) {
                stored.ids[PageAdmission.Slot(origin: PeerID(rawValue: origin), counter: counter)] = RevisionID(rawValue: id)
            }
        }

        let parents = Array(Set(revisions.flatMap { $0.parents.map(\.rawValue) }))
        if !parents.isEmpty {
            for try await (id, record, kind, clock) in try await connection.query(
                "SELECT id, record_id, kind, clock FROM revision WHERE id = ANY(\(parents)::text[])", logger: logger
            ).decode((String, String, String, Int64).self) {
                stored.parents[RevisionID(rawValue: id)] = PageAdmission.ParentFacts(
                    record: RecordID(rawValue: record), kind: RecordKind(rawValue: kind), clock: clock)
            }
        }

        let records = Array(Set(revisions.map(\.record.rawValue)))
        for try await (id, kind) in try await connection.query(
            "SELECT id, kind FROM record WHERE id = ANY(\(records)::text[])", logger: logger
        ).decode((String, String).self) {
            stored.kinds[RecordID(rawValue: id)] = RecordKind(rawValue: kind)
        }
        return stored
    }
}
