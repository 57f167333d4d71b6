import Logging
import MarginCore
import PostgresNIO

/// Writes what an admitted page adds, in one statement (one round trip): its new records, its revisions in page order
/// (so that their seqs ascend in it), each advanced origin's counter and chain, and the proofs that vouch for them.
///
/// Every write is a plain insert or an update of a row in the transaction's snapshot: a record, revision or proof
/// another server inserted since the snapshot is a unique violation, and a vector row it changed a serialization
/// failure; the page is then judged again (see ``PostgresRevisionRepository``).
enum PageRows {
    static func write(
        _ admitted: PageAdmission.Admitted, advances: [SignatureAdmission.Advance],
        proofs kept: [SignatureAdmission.KeptProof], source: String, loggedAt: Int64, _ connection: PostgresConnection,
        logger: Logger
    ) async throws {
        let revisions = admitted.revisions
        guard !revisions.isEmpty else { return }
        // Sorted, so that two servers advancing the same origins lock their rows in one order.
        let advanced = advances.sorted { $0.origin < $1.origin }
        let proofs = kept.map(\.proof)
        // Parents travel as one comma-separated text per revision (ids are hexadecimal): unnest cannot take an
        // array of arrays of different lengths. So do tails.
        try await connection.query("""
            WITH new_record AS (
                INSERT INTO record (id, kind)
                SELECT * FROM unnest(
                    \(admitted.newRecords.map(\.id.rawValue))::text[], \(admitted.newRecords.map(\.kind.rawValue))::text[])),
            advanced AS (
                INSERT INTO sync_vector (origin, counter, chain)
                SELECT origin, counter, decode(chain, 'hex')
                FROM unnest(
                    \(advanced.map(\.origin.rawValue))::text[], \(advanced.map(\.through))::int8[],
                    \(advanced.map(\.chain.hexadecimal))::text[]) AS advanced(origin, counter, chain)
                ON CONFLICT (origin) DO UPDATE SET counter = excluded.counter, chain = excluded.chain),
            kept AS (
                INSERT INTO chain_signature (origin, counter, key, signature, tail, chain)
                SELECT origin, counter, key, signature,
                    CASE WHEN tail = '' THEN NULL ELSE string_to_array(tail, ',') END, decode(chain, 'hex')
                FROM unnest(
                    \(proofs.map(\.origin.rawValue))::text[], \(proofs.map(\.counter))::int8[],
                    \(proofs.map(\.key.rawValue))::text[], \(proofs.map(\.signature))::text[],
                    \(proofs.map { $0.tail.map(\.rawValue).joined(separator: ",") })::text[],
                    \(kept.map(\.chain.hexadecimal))::text[])
                    AS kept(origin, counter, key, signature, tail, chain)
                -- A signature at the same counter is replaced: the newer one has a shorter tail, or none.
                ON CONFLICT (origin, counter) DO UPDATE
                SET key = excluded.key, signature = excluded.signature, tail = excluded.tail, chain = excluded.chain)
            INSERT INTO revision (
                id, record_id, kind, parents, origin, counter, clock, author, created_at, body, source, logged_at)
            SELECT id, record_id, kind, string_to_array(parents, ','), origin, counter, clock, author, created_at,
                body, \(source), \(loggedAt)
            FROM unnest(
                \(revisions.map(\.id.rawValue))::text[], \(revisions.map(\.record.rawValue))::text[],
                \(revisions.map(\.kind.rawValue))::text[],
                \(revisions.map { $0.parents.map(\.rawValue).joined(separator: ",") })::text[],
                \(revisions.map(\.origin.rawValue))::text[], \(revisions.map(\.counter))::int8[],
                \(revisions.map(\.clock))::int8[], \(revisions.map(\.author))::text[],
                \(revisions.map(\.createdAt))::int8[], \(revisions.map(\.body))::text[])
                WITH ORDINALITY AS page(
                    id, record_id, kind, parents, origin, counter, clock, author, created_at, body, position)
            ORDER BY position
            """, logger: logger)
    }
}
