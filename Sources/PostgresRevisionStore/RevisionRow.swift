import MarginCore
import PostgresNIO

/// A revision as a row of the `revision` table: its columns, read back into a ``Revision``, and a page of them as
/// column arrays for one multi-row insert.
enum RevisionRow {
    /// The columns ``decode(_:)`` reads, in its order.
    static let columns = "id, record_id, kind, parents, origin, counter, clock, author, created_at, body"

    /// Reads a row holding ``columns``.
    static func decode(_ row: PostgresRow) throws -> Revision {
        let (id, record, kind, parents, origin, counter, clock, author, createdAt, body) = try row.decode(
            (String, String, String, [String], String, Int64, Int64, String, Int64, String).self)
        return Revision(
            id: RevisionID(rawValue: id), record: RecordID(rawValue: record), kind: RecordKind(rawValue: kind),
            parents: parents.map(RevisionID.init(rawValue:)), origin: PeerID(rawValue: origin), counter: counter,
            clock: clock, author: author, createdAt: createdAt, body: body)
    }

    /// Inserts `revisions` in one statement, in their order (so their seqs ascend in it), saying where they came
    /// from and when they were learnt.
    static func insert(
        _ revisions: [Revision], source: String, loggedAt: Int64, _ connection: PostgresConnection, logger: Logger
    ) async throws {
        guard !revisions.isEmpty else { return }
        // Parents travel as one comma-separated text per revision (ids are hexadecimal): unnest cannot take an
        // array of arrays of different lengths.
        let ids = revisions.map(\.id.rawValue)
        let records = revisions.map(\.record.rawValue)
        let kinds = revisions.map(\.kind.rawValue)
        let parents = revisions.map { $0.parents.map(\.rawValue).joined(separator: ",") }
        let origins = revisions.map(\.origin.rawValue)
        let counters = revisions.map(\.counter)
        let clocks = revisions.map(\.clock)
        let authors = revisions.map(\.author)
        let createdAts = revisions.map(\.createdAt)
        let bodies = revisions.map(\.body)
        try await connection.query("""
            INSERT INTO revision (
                id, record_id, kind, parents, origin, counter, clock, author, created_at, body, source, logged_at)
            SELECT id, record_id, kind, string_to_array(parents, ','), origin, counter, clock, author, created_at,
                body, \(source), \(loggedAt)
            FROM unnest(
                \(ids)::text[], \(records)::text[], \(kinds)::text[], \(parents)::text[], \(origins)::text[],
                \(counters)::int8[], \(clocks)::int8[], \(authors)::text[], \(createdAts)::int8[], \(bodies)::text[])
                WITH ORDINALITY AS page(
                    id, record_id, kind, parents, origin, counter, clock, author, created_at, body, position)
            ORDER BY position
            """, logger: logger)
    }
}
