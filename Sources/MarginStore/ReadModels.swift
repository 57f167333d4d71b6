import MarginCore

/// A line of `margin reports`.
///
/// In JSON: `id` (full identity), `reference` (the short identity people type), `title`, and the counts.
public struct ReportSummary: Sendable, Codable, Equatable {
    /// The full report identity.
    public var id: RecordID
    /// The shortest unambiguous prefix of the identity (at least 4 characters; `reference` in JSON).
    public var shortID: String
    /// The report's title.
    public var title: String
    /// How many sections it has.
    public var sections: Int
    /// How many live annotations it has.
    public var annotations: Int
    /// How many tags are on the sections of its current text (a tag on a section an import or edit dropped is not
    /// counted).
    public var tags: Int
    /// How many of its annotations are in conflict.
    public var conflicts: Int

    enum CodingKeys: String, CodingKey {
        case id, shortID = "reference", title, sections, annotations, tags, conflicts
    }
}

/// A report with its outline, for `margin show REPORT`.
///
/// In JSON: `id` (full identity), `reference` (the short identity people type), `title`, `revision`, `sections`.
public struct ReportOutline: Sendable, Codable, Equatable {
    /// The full report identity.
    public var id: RecordID
    /// The short identity (`reference` in JSON).
    public var shortID: String
    /// The report's title.
    public var title: String
    /// The revision currently shown.
    public var revision: RevisionID
    /// The sections in document order.
    public var sections: [OutlineEntry]
    /// True when the report was removed (see ``MarginStore/removeReport(_:)``): it is left out of the report list
    /// and of `find`, and its text and notes read on.
    public var removed: Bool = false
    /// True when the report was edited on two peers and the edits are not reconciled yet: the preferred side is
    /// shown (see ``MarginStore/reportConflict(_:)``).
    public var conflicted: Bool = false

    enum CodingKeys: String, CodingKey {
        case id, shortID = "reference", title, revision, sections, removed, conflicted
    }
}

/// One section in a report's outline.
public struct OutlineEntry: Sendable, Codable, Equatable {
    /// The reference a person types for this section, e.g. `3f9a/2.1`.
    public var reference: String
    /// The section identity.
    public var id: SectionID
    /// The outline number (`0` for the preamble, `2.1`, …).
    public var number: String
    /// 0 for the preamble, 1…4 for headings.
    public var level: Int
    /// The numbering as written in the source.
    public var label: String
    /// The heading text.
    public var heading: String
    /// The section's tags, sorted.
    public var tags: [String]
    /// How many live annotations it has.
    public var annotations: Int
    /// How many of them are in conflict.
    public var conflicts: Int
}

/// A section with its full text, tags and annotations, for `margin show SECTION`.
///
/// In JSON: `id` and `reference` name the section; `report` and `reportReference` its report.
public struct SectionDetail: Sendable, Codable, Equatable {
    /// The reference a person types for this section.
    public var reference: String
    /// The section identity.
    public var id: SectionID
    /// The report's identity.
    public var report: RecordID
    /// The report's short identity, e.g. `3f9a`.
    public var reportReference: String
    /// The report's title.
    public var reportTitle: String
    /// The outline number.
    public var number: String
    /// 0 for the preamble, 1…4 for headings.
    public var level: Int
    /// The numbering as written in the source.
    public var label: String
    /// The heading text.
    public var heading: String
    /// The full text.
    public var text: String
    /// The tags, sorted.
    public var tags: [String]
    /// The live annotations, oldest first.
    public var annotations: [AnnotationView]

    /// A section's detail; its annotations learn the section's reference.
    init(
        reference: String, id: SectionID, report: RecordID, reportTitle: String, number: String, level: Int,
        label: String, heading: String, text: String, tags: [String], annotations: [AnnotationView]
    ) {
        self.reference = reference
        self.id = id
        self.report = report
        self.reportReference = String(reference.prefix { $0 != "/" })
        self.reportTitle = reportTitle
        self.number = number
        self.level = level
        self.label = label
        self.heading = heading
        self.text = text
        self.tags = tags
        self.annotations = annotations.map { annotation in
            var placed = annotation
            if placed.section == id, placed.sectionReference == nil { placed.sectionReference = reference }
            return placed
        }
    }
}

/// An annotation as shown to a person.
///
/// In JSON: `id` (full identity) and `reference` (the short identity people type) name the annotation; `section`
/// is its section's full identity and `sectionReference` what people type for it (`3f9a/2.1`); `createdAt` and
/// `updatedAt` are ISO 8601 UTC times. Positions (`anchor.start`, `anchor.end`, `placedStart`, `placedEnd`) are
/// 0-based offsets in Unicode scalars, end exclusive: `start` 2 and `end` 10 is what `margin show` prints as
/// characters 3–10.
public struct AnnotationView: Sendable, Codable, Equatable {
    /// The full annotation identity.
    public var id: RecordID
    /// The short identity (`reference` in JSON).
    public var shortID: String
    /// The section it is on.
    public var section: SectionID
    /// The section's reference, e.g. `3f9a/2.1`, when the read that made this view looked it up; nil when the
    /// section is no longer in its report.
    public var sectionReference: String? = nil
    /// Its current text.
    public var text: String
    /// Who first wrote it.
    public var author: String
    /// When it was first written (milliseconds since 1970; an ISO 8601 string in JSON).
    @TimestampCoded public var createdAt: Int64
    /// When its current revision was written (milliseconds since 1970; an ISO 8601 string in JSON).
    @TimestampCoded public var updatedAt: Int64
    /// The anchored span, if any, as it was written (0-based Unicode scalar offsets, end exclusive).
    public var anchor: TextAnchor?
    /// How the anchor sits in the section's current text: `exact`, `moved`, `approximate`, `relocated` (its quote
    /// moved into `section` from ``movedFrom``, where the anchor was written) or `orphaned` (nil for an unanchored
    /// note whose section exists).
    public var placement: String?
    /// The section the note was written on, when its quote has since moved into `section`.
    public var movedFrom: SectionID? = nil
    /// That section's reference, when the read that made this view looked it up and it is still in the report.
    public var movedFromReference: String? = nil
    /// For an orphaned note whose quote is in several other sections: those sections, in report order.
    public var candidates: [SectionID] = []
    /// Their references (looked up as `movedFromReference` is), in the same order.
    public var candidateReferences: [String] = []
    /// Where the quote starts in the current text (0-based Unicode scalar offset), unless orphaned.
    public var placedStart: Int?
    /// Where the quote ends in the current text (exclusive), unless orphaned.
    public var placedEnd: Int?
    /// True while concurrent edits of it are unresolved.
    public var conflicted: Bool
    /// True once deleted.
    public var deleted: Bool

    enum CodingKeys: String, CodingKey {
        case id, shortID = "reference", section, sectionReference, text, author, createdAt, updatedAt, anchor
        case placement, placedStart, placedEnd, conflicted, deleted
        case movedFrom, movedFromReference, candidates, candidateReferences
    }
}

/// A tag and how many sections carry it.
///
/// A tag has no identity besides its text: `tag` is both what the store keeps and what a person types
/// (`margin find --tag`, `margin tags rename`).
public struct TagCount: Sendable, Codable, Equatable {
    /// The tag, as stored (without `#`).
    public var tag: String
    /// How many sections carry it: sections of the current text of reports that are not removed.
    public var sections: Int
}

/// One result of `margin find`.
///
/// In JSON: `section` (full identity) and `reference` (`3f9a/2.1`, also as `sectionReference`) name the section
/// that matched or that the matching note is on; `annotation` (full identity) and `annotationReference` (its short
/// identity) name the note of an annotation hit; `report` and `reportReference` (`3f9a`) name the report. `snippet` is the text around the first match, cut
/// into `before`, `match` and `after`.
public struct SearchHit: Sendable, Codable, Equatable {
    /// What matched.
    public enum Kind: String, Sendable, Codable {
        /// A section's heading or text.
        case section
        /// An annotation's text.
        case annotation
    }
    /// What matched.
    public var kind: Kind
    /// The section's full identity.
    public var section: SectionID
    /// The section reference, e.g. `3f9a/2.1`.
    public var reference: String
    /// The section reference again, under the name every `--json` gives a reference to a section.
    public var sectionReference: String
    /// The annotation's short identity, for annotation hits (`annotationReference` in JSON).
    public var annotation: String?
    /// The annotation's full identity, for annotation hits (`annotation` in JSON).
    public var annotationID: RecordID?
    /// The report's full identity.
    public var report: RecordID
    /// The report's short identity, e.g. `3f9a`.
    public var reportReference: String
    /// The report's title.
    public var reportTitle: String
    /// The section's numbering and heading.
    public var heading: String
    /// The matched text around the first match (or the start of the text when the match is elsewhere, e.g. in
    /// the heading), on one line.
    public var snippet: SearchSnippet
    /// Higher is better.
    public var score: Double

    enum CodingKeys: String, CodingKey {
        case kind, section, reference, sectionReference, annotationID = "annotation", annotation = "annotationReference"
        case report, reportReference, reportTitle, heading, snippet, score
    }
}

/// One entry of the change log: one revision, as `margin log` lists it.
///
/// In JSON, `id` is the revision's full identity; `record` is the record it is a version of, and `reference` what a
/// person types for that record (`margin show` and `margin history` accept it): a report's or an annotation's short
/// identity, or for a tag the reference of its section (`3f9a/2.1`). `reference` is absent when there is nothing to
/// type (a tag on a section no longer in its report, a record of a kind this version does not know).
public struct ChangeLogEntry: Sendable, Codable, Equatable {
    /// The local sequence number.
    public var sequence: Int64
    /// The revision (`id` in JSON).
    public var revision: RevisionID
    /// The record it is a version of.
    public var record: RecordID
    /// What a person types for the record, e.g. `3f9a` or, for a tag, `3f9a/2.1`.
    public var reference: String?
    /// The record's kind.
    public var kind: RecordKind
    /// The section an annotation or tag revision is about.
    public var section: SectionID?
    /// The section's reference, e.g. `3f9a/2.1`.
    public var sectionReference: String?
    /// The tag, for tag revisions.
    public var tag: String?
    /// The peer that made it.
    public var origin: PeerID
    /// Who made it.
    public var author: String
    /// When it was made.
    public var createdAt: Timestamp
    /// `local`, or the remote it was received from.
    public var source: String
    /// A one-line description of the change.
    public var summary: String
    /// Who vouches for it: this store, a verified key and its account, or nobody yet.
    public var signer: RevisionSigner

    enum CodingKeys: String, CodingKey {
        case sequence, revision = "id", record, reference, kind, section, sectionReference, tag, origin, author
        case createdAt, source, summary, signer
    }
}
