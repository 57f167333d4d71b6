/// The current value of a record, computed from its heads (the revisions no other revision supersedes).
public struct RecordResolution: Sendable, Equatable {
    /// The revision whose body is the record's current value.
    public var winner: Revision
    /// The heads, ordered from winner to least preferred.
    public var heads: [Revision]
    /// True when the heads disagree in a way a person must settle (see ``MergeRules``).
    public var isConflicted: Bool
}

/// How concurrent revisions of one record combine. Every peer applies the same rules to the same heads,
/// so every peer shows the same current value.
public enum MergeRules {
    /// The deterministic preference between concurrent revisions: the higher Lamport clock, then the greater id.
    public static func isPreferred(_ lhs: Revision, over rhs: Revision) -> Bool {
        lhs.clock != rhs.clock ? lhs.clock > rhs.clock : lhs.id > rhs.id
    }

    /// Resolves a record's heads to its current value.
    ///
    /// - Reports: the preferred head wins; re-imports of the same text never conflict.
    /// - Tags: add wins: the tag is present if any head says so.
    /// - Annotations: heads with equal bodies agree, as do heads that all delete; otherwise the record is in
    ///   conflict, every head is kept, and the preferred head is shown.
    /// - Precondition: `heads` is not empty.
    public static func resolve(heads: [Revision]) -> RecordResolution {
        precondition(!heads.isEmpty, "a record always has at least one head")
        let ordered = heads.sorted(by: isPreferred)
        var winner = ordered[0]
        var conflicted = false
        switch winner.kind {
        case .report:
            break
        case .tag:
            if let present = ordered.first(where: { tagIsPresent($0) }) { winner = present }
        case .annotation:
            let bodies = Set(ordered.map(\.body))
            let allDeleted = ordered.allSatisfy { annotationIsDeleted($0) }
            conflicted = bodies.count > 1 && !allDeleted
        }
        return RecordResolution(winner: winner, heads: ordered, isConflicted: conflicted)
    }

    static func tagIsPresent(_ revision: Revision) -> Bool {
        (try? BodyCoding.decode(TagBody.self, from: revision.body, kind: .tag).present) ?? false
    }

    static func annotationIsDeleted(_ revision: Revision) -> Bool {
        (try? BodyCoding.decode(AnnotationBody.self, from: revision.body, kind: .annotation).deleted) ?? false
    }
}
