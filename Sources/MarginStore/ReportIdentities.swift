import Foundation
import GRDB
import MarginCore
import ReportParser

/// Decides which record an imported report revises, so that reports sharing a title stay apart while a changed
/// file stays one record:
///
/// 1. a record whose current body names this source (file, title, occurrence): the one whose current revision
///    has the highest clock, then the smallest id, so peers holding the same revisions choose alike;
/// 2. else a record made before stores recorded sources, under the identity derived from the title alone, when
///    its body names no source and its sections overlap this text (at least half of its headed sections keep
///    their identity): an upgraded store keeps its identities and notes, and a different report that happens
///    to share the title is not poured into it;
/// 3. else a new record, its identity derived from the source (``ReportSource/derivedIdentity``).
enum ReportIdentities {
    /// How an imported report found its record.
    enum Match: Equatable {
        /// A record whose current body names the same source.
        case source(RecordID)
        /// A record from before sources were recorded.
        case legacy(RecordID)
        /// No record yet: the identity the source derives.
        case new(RecordID)

        var id: RecordID {
            switch self {
            case let .source(id), let .legacy(id), let .new(id): id
            }
        }
    }

    /// The record for `report` from `source`, skipping records this import already gave to another report.
    static func match(_ report: ParsedReport, from source: ReportSource, excluding taken: Set<RecordID>, _ db: Database) throws -> Match {
        if let claimed = try claimant(of: source, excluding: taken, db) { return .source(claimed) }
        if let legacy = try legacyRecord(for: report, occurrence: source.occurrence, db), !taken.contains(legacy) {
            return .legacy(legacy)
        }
        return .new(source.derivedIdentity)
    }

    /// The record whose current body names `source`, if any: a kept one before a removed one (importing a removed
    /// report's file again brings it back).
    ///
    /// File names and titles compare after Unicode NFC normalization: a body names them as given or in NFC (this
    /// store writes NFC, a title taken from a file name included, but a store from before wrote that title as the
    /// system spelled the name, decomposed on macOS), so both spellings of each are looked for.
    static func claimant(of source: ReportSource, excluding taken: Set<RecordID>, _ db: Database) throws -> RecordID? {
        let files = spellings(of: source.file)
        let titles = spellings(of: source.title)
        let ids = try String.fetchAll(db, sql: """
            SELECT report.id FROM report JOIN revision ON revision.id = report.revision_id
            WHERE report.source_file IN (\(placeholders(files))) AND report.source_title IN (\(placeholders(titles)))
                AND report.source_occurrence = ?
            ORDER BY report.removed, revision.clock DESC, report.id
            """, arguments: StatementArguments(files + titles) + [source.occurrence])
        return ids.lazy.map(RecordID.init(rawValue:)).first { !taken.contains($0) }
    }

    /// The reports, removed ones left out, whose current body says they came from `file` (in either spelling).
    static func reports(fromFile file: String, _ db: Database) throws -> [(id: RecordID, title: String)] {
        let files = spellings(of: file)
        return try Row.fetchAll(db, sql: """
            SELECT id, title FROM report WHERE source_file IN (\(placeholders(files))) AND removed = 0
            ORDER BY title_order, id
            """, arguments: StatementArguments(files)
        ).map { (RecordID(rawValue: $0["id"]), $0["title"]) }
    }

    /// A name in Unicode NFC, and in NFD when that is spelled differently: the ways a body may hold it.
    static func spellings(of name: String) -> [String] {
        let composed = name.precomposedStringWithCanonicalMapping
        let decomposed = name.decomposedStringWithCanonicalMapping
        return composed.utf8.elementsEqual(decomposed.utf8) ? [composed] : [composed, decomposed]
    }

    private static func placeholders(_ values: [String]) -> String {
        values.map { _ in "?" }.joined(separator: ", ")
    }

    /// The record made for this title before sources were recorded, when it may be this report's.
    private static func legacyRecord(for report: ParsedReport, occurrence: Int, _ db: Database) throws -> RecordID? {
        let id = Identity.report(title: report.title, occurrence: occurrence)
        guard let row = try Row.fetchOne(db, sql: """
            SELECT report.source_file, revision.body FROM report JOIN revision ON revision.id = report.revision_id
            WHERE report.id = ?
            """, arguments: [id.rawValue]),
            (row["source_file"] as String?) == nil
        else { return nil }
        let current = try BodyCoding.decode(ReportBody.self, from: row["body"], kind: .report)
        let headed = Set(current.sections.dropFirst().map(\.id))
        if headed.isEmpty { return id }
        let candidate = ReportBodyBuilder.body(of: report, id: id, source: nil)
        let kept = candidate.sections.dropFirst().filter { headed.contains($0.id) }.count
        return kept * 2 >= headed.count ? id : nil
    }
}
