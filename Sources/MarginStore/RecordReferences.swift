import GRDB
import MarginCore

/// The references a person types (`3f9a`, `3f9a/2.1`) for records the store holds, for read models that name
/// records: a report and an annotation by their short identity, a tag record by its section's reference.
struct RecordReferences {
    /// The short-identity length of the listing being built.
    let length: Int
    private var sections: [SectionID: String?] = [:]

    init(_ db: Database) throws {
        length = try ShortIdentifiers.length(db)
    }

    /// What a person types for a record, or nil when there is nothing to type (a tag on a section no longer in
    /// its report, a record of a kind this version does not know).
    mutating func reference(of record: RecordID, kind: RecordKind, body: String, _ db: Database) throws -> String? {
        switch kind {
        case .report, .annotation:
            return ShortIdentifiers.shorten(record.rawValue, length: length)
        case .tag:
            guard let tag = try? BodyCoding.decode(TagBody.self, from: body, kind: .tag) else { return nil }
            return try section(tag.section, db)
        default:
            return nil
        }
    }

    /// A section's reference (`3f9a/2.1`), or nil when no report has the section now.
    mutating func section(_ id: SectionID, _ db: Database) throws -> String? {
        if let known = sections[id] { return known }
        let row = try Row.fetchOne(
            db, sql: "SELECT report_id, outline FROM section WHERE id = ?", arguments: [id.rawValue])
        let reference = row.map { row -> String in
            let report: String = row["report_id"]
            let outline: String = row["outline"]
            return ShortIdentifiers.shorten(report, length: length) + "/" + outline
        }
        sections[id] = reference
        return reference
    }
}
