import GRDB
import MarginCore

/// How re-importing a report's changed text moved one of its annotations.
public struct AnnotationPlacementChange: Sendable, Codable, Equatable {
    /// What happened to the annotation's anchor.
    public enum Change: String, Sendable, Codable {
        /// Its quote was found again elsewhere in the new text (moved, approximately matched, or in another section).
        case reanchored
        /// Its quote (or its section) is no longer in the text: the note is kept and shown as orphaned.
        case orphaned
        /// It was orphaned and its quote is in the text again.
        case restored
    }

    /// The annotation's full identity.
    public var id: RecordID
    /// The short identity a person types.
    public var reference: String
    /// What happened.
    public var change: Change
    /// Where it is now: `exact`, `moved`, `approximate`, `relocated` (in another section) or `orphaned`.
    public var placement: String
    /// The quoted span, if the annotation is anchored to one.
    public var quote: String?
    /// For a note whose quote moved into another section (`relocated`): that section's reference, e.g. `3f9a/2`.
    public var sectionReference: String? = nil
}

/// The placement of a report's live annotations before a re-import, to say afterwards what moved.
struct AnnotationPlacementSnapshot {
    private struct Placement: Equatable {
        var status: String?
        var start: Int?
        var end: Int?
        var quote: String?
        var section: String?
    }

    private let report: RecordID
    private let before: [String: Placement]

    /// Reads where the live annotations of `report` sit now.
    init(of report: RecordID, _ db: Database) throws {
        self.report = report
        before = try Self.read(report, db)
    }

    /// The annotations whose placement changed since the snapshot, in identity order.
    func changes(_ db: Database) throws -> [AnnotationPlacementChange] {
        let after = try Self.read(report, db)
        let length = try ShortIdentifiers.length(db)
        var changes: [AnnotationPlacementChange] = []
        for (id, now) in after.sorted(by: { $0.key < $1.key }) {
            guard let old = before[id], old != now, let status = now.status else { continue }
            let change: AnnotationPlacementChange.Change
            if status == AnchorPlacement.orphaned.status {
                guard old.status != status else { continue }
                change = .orphaned
            } else if old.status == AnchorPlacement.orphaned.status {
                change = .restored
            } else {
                change = .reanchored
            }
            var placed = AnnotationPlacementChange(
                id: RecordID(rawValue: id), reference: ShortIdentifiers.shorten(id, length: length), change: change, placement: status,
                quote: now.quote)
            if status == ReportPlacement.relocatedStatus, let section = now.section {
                placed.sectionReference = try MarginStore.sectionReference(of: SectionID(rawValue: section), db)
            }
            changes.append(placed)
        }
        return changes
    }

    private static func read(_ report: RecordID, _ db: Database) throws -> [String: Placement] {
        var placements: [String: Placement] = [:]
        let rows = try Row.fetchCursor(
            db, sql: """
                SELECT id, anchor_status, placed_start, placed_end, quote, section_id FROM annotation
                WHERE report_id = ? AND deleted = 0
                """, arguments: [report.rawValue])
        while let row = try rows.next() {
            placements[row["id"]] = Placement(
                status: row["anchor_status"], start: row["placed_start"], end: row["placed_end"], quote: row["quote"],
                section: row["section_id"])
        }
        return placements
    }
}
