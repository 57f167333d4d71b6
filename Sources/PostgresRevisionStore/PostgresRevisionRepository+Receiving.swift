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

    /// Applies a page a peer pushes, in one transaction: all of it, or nothing.
    ///
    /// Every revision is checked on its own first (`Revision.verify()`: hash, formats, ranges, body), so a page with
    /// one altered revision, even one already held, is rejected whole and for that. Then the page is judged against
    /// the database by the embedded store's rules (see ``PageAdmission``), its signatures by `SignatureAdmission`
    /// (every new revision covered by a proof of its origin; the first key to sign an origin owns it; a key not met
    /// before is accepted only for the pusher's own origin `pusher`, and is then recorded as `account`'s), and what
    /// it adds is written: revisions, each origin's new counter and chain, the proofs (so that pages sent later carry
    /// them) and the keys they bind. `source` is kept with each new revision (by default `push:PUSHER`). A collision
    /// with another writer, another server binding the same origin among them, is resolved by judging the page again
    /// (see the type's notes).
    ///
    /// Throws ``PostgresRevisionStoreError``: with a ``PostgresRevisionStoreError/rejection`` or a
    /// ``PostgresRevisionStoreError/signatureRefusal`` for a bad page, and `.contention` or `.database` otherwise;
    /// the database is unchanged in every case.
    @discardableResult
    public func receive(
        _ revisions: [Revision], proofs: [ChainProof], from pusher: PeerID, account: String?, source: String? = nil
    ) async throws -> ReceiveOutcome {
        for revision in revisions {
            do {
                try revision.verify()
            } catch {
                throw PostgresRevisionStoreError(.core(error))
            }
        }
        if revisions.isEmpty { return ReceiveOutcome(accepted: 0, duplicates: 0) }
        let sender = SignatureAdmission.Sender.pusher(origin: pusher, account: account)
        let source = source ?? "push:\(pusher.rawValue)"
        var attempt = 1
        while true {
            do {
                return try await PostgresTransaction.run(client, isolation: .repeatableRead, logger: logger) { connection in
                    try await apply(revisions, proofs: proofs, sender: sender, source: source, connection)
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
    private func apply(
        _ revisions: [Revision], proofs: [ChainProof], sender: SignatureAdmission.Sender, source: String,
        _ connection: PostgresConnection
    ) async throws -> ReceiveOutcome {
        let stored = try await storedFacts(for: revisions, connection)
        let admitted = try PageAdmission.admit(revisions, stored: stored)
        let advances = SignatureAdmission.advances(of: admitted.revisions, heldChains: stored.chains)
        var verdict = SignatureAdmission.Verdict()
        if !advances.isEmpty {
            let known = try await knownKeys(of: advances.map(\.origin), proofs: proofs, connection)
            do throws(MarginCoreError) {
                verdict = try SignatureAdmission.judge(advances, proofs: proofs, known: known, sender: sender)
            } catch {
                throw PostgresRevisionStoreError(signature: error)
            }
        }
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
        if !advances.isEmpty {
            // Sorted, so that two servers advancing the same origins lock their rows in one order. Under
            // REPEATABLE READ a row another server changed since the snapshot fails the update, and the page is
            // judged again.
            let advanced = advances.sorted { $0.origin < $1.origin }
            let origins = advanced.map(\.origin.rawValue)
            let counters = advanced.map(\.through)
            let chains = advanced.map(\.chain.hexadecimal)
            try await connection.query("""
                INSERT INTO sync_vector (origin, counter, chain)
                SELECT origin, counter, decode(chain, 'hex')
                FROM unnest(\(origins)::text[], \(counters)::int8[], \(chains)::text[]) AS advanced(origin, counter, chain)
                ON CONFLICT (origin) DO UPDATE SET counter = excluded.counter, chain = excluded.chain
                """, logger: logger)
        }
        try await SignatureRows.write(verdict, connection, logger: logger)
        return ReceiveOutcome(accepted: admitted.revisions.count, duplicates: admitted.duplicates)
    }

    /// Reads what the page's judgement needs, from the transaction's snapshot: four indexed lookups.
    private func storedFacts(for revisions: [Revision], _ connection: PostgresConnection) async throws
        -> PageAdmission.StoredFacts
    {
        var stored = PageAdmission.StoredFacts()
        let origins = Array(Set(revisions.map(\.origin.rawValue)))
        for try await (origin, counter, chain) in try await connection.query(
            "SELECT origin, counter, chain FROM sync_vector WHERE origin = ANY(\(origins)::text[])", logger: logger
        ).decode((String, Int64, ByteBuffer).self) {
            stored.counters[PeerID(rawValue: origin)] = counter
            guard let value = RevisionChain(stored: Array(chain.readableBytesView)) else {
                throw PostgresRevisionStoreError(.database("the chain of origin \(origin) is not 32 bytes"))
            }
            stored.chains[PeerID(rawValue: origin)] = value
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

    /// What the database knows of the keys a page's signatures involve: the keys its advanced origins are bound to,
    /// and whether the proofs' keys and those were met, with their accounts. One query.
    private func knownKeys(of origins: [PeerID], proofs: [ChainProof], _ connection: PostgresConnection) async throws
        -> SignatureAdmission.KnownKeys
    {
        let origins = origins.map(\.rawValue)
        let keys = Array(Set(proofs.map(\.key.rawValue)))
        var known = SignatureAdmission.KnownKeys()
        for try await (table, name, value) in try await connection.query("""
            SELECT 'origin', origin, key FROM origin_key WHERE origin = ANY(\(origins)::text[])
            UNION ALL
            SELECT 'key', key, account FROM key_account
            WHERE key = ANY(\(keys)::text[])
                OR key IN (SELECT key FROM origin_key WHERE origin = ANY(\(origins)::text[]))
            """, logger: logger
        ).decode((String, String, String?).self) {
            if table == "origin" {
                if let value { known.bindings[PeerID(rawValue: name)] = SigningKeyID(rawValue: value) }
            } else {
                known.met.insert(SigningKeyID(rawValue: name))
                if let value { known.accounts[SigningKeyID(rawValue: name)] = value }
            }
        }
        return known
    }
}
