import Foundation
import Logging
import MarginCore
import PostgresNIO

extension PostgresRevisionRepository {
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
                return try await PostgresTransaction.run(connections, isolation: .repeatableRead, logger: logger) { connection in
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
        let (stored, known) = try await storedFacts(for: revisions, proofs: proofs, connection)
        let admitted: PageAdmission.Admitted
        let advances: [SignatureAdmission.Advance]
        var verdict = SignatureAdmission.Verdict()
        do throws(MarginCoreError) {
            admitted = try PageAdmission.admit(revisions, stored: stored)
            advances = SignatureAdmission.advances(of: admitted.revisions, heldChains: stored.chains)
            if !advances.isEmpty {
                verdict = try SignatureAdmission.judge(advances, proofs: proofs, known: known, sender: sender)
            }
        } catch {
            throw PostgresRevisionStoreError(.core(error))
        }
        let loggedAt = Int64((Date().timeIntervalSince1970 * 1000).rounded())
        try await PageRows.write(
            admitted, advances: advances, proofs: verdict.proofs, source: source, loggedAt: loggedAt, connection,
            logger: logger)
        try await SignatureRows.write(verdict, connection, logger: logger)
        return ReceiveOutcome(accepted: admitted.revisions.count, duplicates: admitted.duplicates)
    }

    /// Reads what the page's judgement needs, from the transaction's snapshot, in one round trip: the page's origins'
    /// counters and chains, its parents, its records' kinds, and what is known of the keys its origins are bound to
    /// and its proofs carry; then, only for a page that repeats held counters, the ids there.
    private func storedFacts(for revisions: [Revision], proofs: [ChainProof], _ connection: PostgresConnection)
        async throws -> (facts: PageAdmission.StoredFacts, keys: SignatureAdmission.KnownKeys)
    {
        var stored = PageAdmission.StoredFacts()
        var known = SignatureAdmission.KnownKeys()
        let origins = Array(Set(revisions.map(\.origin.rawValue)))
        let parents = Array(Set(revisions.flatMap { $0.parents.map(\.rawValue) }))
        let records = Array(Set(revisions.map(\.record.rawValue)))
        let keys = Array(Set(proofs.map(\.key.rawValue)))
        for try await (table, name, number, first, second, bytes) in try await connection.query("""
            SELECT 'vector', origin, counter, NULL, NULL, chain FROM sync_vector WHERE origin = ANY(\(origins)::text[])
            UNION ALL
            SELECT 'parent', id, clock, record_id, kind, NULL FROM revision WHERE id = ANY(\(parents)::text[])
            UNION ALL
            SELECT 'record', id, NULL, kind, NULL, NULL FROM record WHERE id = ANY(\(records)::text[])
            UNION ALL
            SELECT 'binding', origin, NULL, key, NULL, NULL FROM origin_key WHERE origin = ANY(\(origins)::text[])
            UNION ALL
            SELECT 'key', key, NULL, account, NULL, NULL FROM key_account
            WHERE key = ANY(\(keys)::text[])
                OR key IN (SELECT key FROM origin_key WHERE origin = ANY(\(origins)::text[]))
            """, logger: logger
        ).decode((String, String, Int64?, String?, String?, ByteBuffer?).self) {
            switch table {
            case "vector":
                guard let counter = number, let bytes, let chain = RevisionChain(stored: Array(bytes.readableBytesView))
                else { throw PostgresRevisionStoreError(.database("the chain of origin \(name) is not 32 bytes")) }
                stored.counters[PeerID(rawValue: name)] = counter
                stored.chains[PeerID(rawValue: name)] = chain
            case "parent":
                stored.parents[RevisionID(rawValue: name)] = PageAdmission.ParentFacts(
                    record: RecordID(rawValue: first ?? ""), kind: RecordKind(rawValue: second ?? ""), clock: number ?? 0)
            case "record":
                stored.kinds[RecordID(rawValue: name)] = RecordKind(rawValue: first ?? "")
            case "binding":
                if let first { known.bindings[PeerID(rawValue: name)] = SigningKeyID(rawValue: first) }
            default:
                known.met.insert(SigningKeyID(rawValue: name))
                if let first { known.accounts[SigningKeyID(rawValue: name)] = first }
            }
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
        return (stored, known)
    }
}
