/// The current value of a record, computed from its heads (the revisions no other revision supersedes).
public struct RecordResolution: Sendable, Equatable {
    /// The preferred head: its body is the current value unless ``mergedBody`` is set.
    public var winner: Revision
    /// The heads, ordered from winner to least preferred.
    public var heads: [Revision]
    /// The body merged from all heads when they could be merged automatically (annotations edited in different places).
    public var mergedBody: String?
    /// True when the heads disagree in a way a person must settle (see ``MergeRules``).
    public var isConflicted: Bool

    /// The record's current body.
    public var body: String { mergedBody ?? winner.body }

    /// The resolution of a record whose only head is `head`: its body, no merge, no conflict.
    public init(onlyHead head: Revision) {
        self.init(winner: head, heads: [head], mergedBody: nil, isConflicted: false)
    }

    /// Makes a resolution.
    public init(winner: Revision, heads: [Revision], mergedBody: String?, isConflicted: Bool) {
        self.winner = winner
        self.heads = heads
        self.mergedBody = mergedBody
        self.isConflicted = isConflicted
    }
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
    /// - Reports: a head that keeps the report wins over heads that remove it (an edit made while another peer
    ///   removed the report keeps it). Among those, the preferred head that changed the title or sections from the
    ///   `base` is shown; two heads that changed them differently are a conflict (``ReportMerge``). Re-imports of
    ///   the same text never conflict.
    /// - Tags: add wins: the tag is present if any head says so.
    /// - Annotations: heads with equal bodies agree, as do heads that all delete. Edits of the text that touch
    ///   different parts of the `base` (the heads' common ancestor) merge; overlapping edits, and an edit against
    ///   a delete, are a conflict: every head is kept and the preferred head is shown.
    /// - Precondition: `heads` is not empty.
    public static func resolve(heads: [Revision], base: Revision? = nil) -> RecordResolution {
        precondition(!heads.isEmpty, "a record always has at least one head")
        let ordered = heads.sorted(by: isPreferred)
        var resolution = RecordResolution(winner: ordered[0], heads: ordered, mergedBody: nil, isConflicted: false)
        guard ordered.count > 1 else { return resolution }
        switch resolution.winner.kind {
        case .report:
            let kept = ordered.filter { !ReportBody.isRemoved($0.body) }
            if let (shown, conflicted) = ReportMerge.resolve(kept: kept, base: base) {
                resolution.winner = shown
                resolution.isConflicted = conflicted
            }
        case .tag:
            if let present = ordered.first(where: { tagIsPresent($0) }) { resolution.winner = present }
        case .annotation:
            resolveAnnotation(&resolution, base: base)
        default:
            // A kind this version does not know: the preferred head wins, as for reports.
            break
        }
        return resolution
    }

    private static func resolveAnnotation(_ resolution: inout RecordResolution, base: Revision?) {
        // Bodies compare by their bytes: canonically equivalent texts in different forms are different edits.
        guard Set(resolution.heads.map { Array($0.body.utf8) }).count > 1 else { return }
        let bodies = resolution.heads.compactMap { try? BodyCoding.decode(AnnotationBody.self, from: $0.body, kind: .annotation) }
        guard bodies.count == resolution.heads.count else {
            resolution.isConflicted = true
            return
        }
        let live = bodies.filter { !$0.deleted }
        if live.isEmpty { return }
        let baseBody = base.flatMap { try? BodyCoding.decode(AnnotationBody.self, from: $0.body, kind: .annotation) }
        guard let baseBody, live.count == bodies.count else {
            // An edit against a delete, or no known common base: a person decides.
            resolution.isConflicted = true
            return
        }
        var merged = bodies[0]
        for other in bodies.dropFirst() {
            guard merged.anchor == other.anchor || other.anchor == baseBody.anchor || merged.anchor == baseBody.anchor,
                merged.section == other.section,
                let text = ThreeWayMerge.merge(base: baseBody.text, ours: merged.text, theirs: other.text)
            else {
                resolution.isConflicted = true
                return
            }
            merged.text = text
            if merged.anchor == baseBody.anchor { merged.anchor = other.anchor }
        }
        resolution.mergedBody = BodyCoding.encode(merged)
    }

    static func tagIsPresent(_ revision: Revision) -> Bool {
        (try? BodyCoding.decode(TagBody.self, from: revision.body, kind: .tag).present) ?? false
    }
}
