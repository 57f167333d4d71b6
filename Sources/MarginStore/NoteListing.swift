import MarginCore

/// Which notes ``MarginStore/notes(_:offset:limit:)`` lists. Every condition that is set must hold.
public struct NoteFilter: Sendable, Equatable {
    /// Only notes first written by this author (exact match).
    public var author: String?
    /// Only notes on a section of a report's current text carrying this tag (as `find --tag` finds sections); it is
    /// read as a person types it (`#重点` is `重点`).
    public var tag: String?
    /// Only notes first written at or after this moment.
    public var since: Timestamp?
    /// Only notes on this report (a report reference such as `3f9a`).
    public var report: String?
    /// Only notes whose quote, or section, is no longer in the report's text (a note whose quote moved into another
    /// section follows it and is not orphaned).
    public var orphaned: Bool
    /// Only notes with unresolved concurrent edits.
    public var conflicted: Bool

    /// A filter; with no arguments, every note.
    public init(
        author: String? = nil, tag: String? = nil, since: Timestamp? = nil, report: String? = nil,
        orphaned: Bool = false, conflicted: Bool = false
    ) {
        self.author = author
        self.tag = tag
        self.since = since
        self.report = report
        self.orphaned = orphaned
        self.conflicted = conflicted
    }
}

/// One note with where it is: its report, section and quote.
///
/// In JSON: `id` and `reference` name the note; `report` + `reportReference` and `section` + `sectionReference`
/// what it is on (the references are absent when the report or the section is not in the store); times are
/// ISO 8601 UTC.
public struct NoteEntry: Sendable, Codable, Equatable {
    /// The annotation's full identity.
    public var id: RecordID
    /// Its short identity (`reference` in JSON).
    public var shortID: String
    /// The report's identity.
    public var report: RecordID
    /// The report's short identity, e.g. `3f9a`.
    public var reportReference: String?
    /// The report's title, when the report is in the store.
    public var reportTitle: String?
    /// The section's identity.
    public var section: SectionID
    /// The section's reference, e.g. `3f9a/2.1`, when the section is in the report.
    public var sectionReference: String?
    /// The section's numbering and heading (empty for the preamble or a section no longer in the report).
    public var heading: String
    /// The quoted text the note is anchored to, if any (for an orphaned note, the quote it had).
    public var quote: String?
    /// The note's current text (empty when the shown side of a conflict deleted it).
    public var text: String
    /// Who first wrote it.
    public var author: String
    /// When it was first written.
    public var createdAt: Timestamp
    /// When its current revision was written.
    public var updatedAt: Timestamp
    /// How its quote sits in the section's current text: `exact`, `moved`, `approximate`, `relocated` (its quote
    /// moved into this section from ``movedFrom``) or `orphaned` (nil for a note without a quote on a section that
    /// exists).
    public var placement: String?
    /// The section the note was written on, when its quote has since moved into `section` (`movedFrom` in JSON).
    public var movedFrom: SectionID? = nil
    /// That section's reference, e.g. `3f9a/1`, when it is still in the report.
    public var movedFromReference: String? = nil
    /// That section's numbering and heading (empty for the preamble or a section no longer in the report).
    public var movedFromHeading: String? = nil
    /// For an orphaned note whose quote is in several other sections: those sections, in report order.
    public var candidates: [SectionID] = []
    /// Their references, in the same order.
    public var candidateReferences: [String] = []
    /// True while concurrent edits of it are unresolved.
    public var conflicted: Bool
    /// True when the side of a conflict shown meanwhile deleted it (only conflicted notes are listed deleted).
    public var deleted: Bool

    enum CodingKeys: String, CodingKey {
        case id, shortID = "reference", report, reportReference, reportTitle, section, sectionReference, heading
        case quote, text, author, createdAt, updatedAt, placement, conflicted, deleted
        case movedFrom, movedFromReference, movedFromHeading, candidates, candidateReferences
    }
}
