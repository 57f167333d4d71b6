/// How concurrent edits of one report combine: which head a reader shows, whether a person must settle them, and
/// the section-by-section merge offered to that person.
///
/// A report's content is its title and sections; where it came from (`source`) and whether it was removed are not
/// content. A head whose content equals the base's (the heads' latest common ancestor) changed nothing that
/// another head could lose.
public enum ReportMerge {
    /// The head to show among `kept` (not removed, ordered from most preferred) and whether they conflict: two or
    /// more heads changed the content from `base` differently (without a base: two or more contents differ at
    /// all). The shown head is the preferred one among those that changed the content, so that an edit is never
    /// hidden behind a later revision that kept the base's text.
    public static func resolve(kept: [Revision], base: Revision?) -> (shown: Revision, conflicted: Bool)? {
        guard let first = kept.first else { return nil }
        guard kept.count > 1 else { return (first, false) }
        let contents = kept.map { content(of: $0.body) }
        guard !contents.contains(where: { $0 == nil }) else { return (first, true) }
        let baseContent = base.flatMap { content(of: $0.body) }
        let changed = kept.indices.filter { baseContent == nil || contents[$0] != baseContent }
        guard let shown = changed.first else { return (first, false) }
        let distinct = Set(changed.map { contents[$0]! })
        return (kept[shown], distinct.count > 1)
    }

    /// What a person edits of a report: its title and its sections.
    struct Content: Hashable {
        var title: String
        var sections: [SectionBody]
    }

    static func content(of body: String) -> Content? {
        (try? BodyCoding.decode(ReportBody.self, from: body, kind: .report)).map { Content(title: $0.title, sections: $0.sections) }
    }

    /// Merges `sides` (the conflicting report bodies, most preferred first) section by section against `base`.
    ///
    /// Sections are matched by identity. A title or section that one side changed (or added, or dropped) and the
    /// others left as the base had it takes that side's version; texts that several sides changed in different
    /// sentences merge three-way (``ThreeWayMerge/mergeSentences(base:ours:theirs:)``); anything else is a ``MergedReport/Part/conflict(base:sides:)``.
    /// Sections appear in the first side's order, a section another side added right after the section it
    /// followed there. Without a base, every title or section the sides do not all hold alike is a conflict.
    public static func merge(base: ReportBody?, sides: [ReportBody]) -> MergedReport {
        let title = part(base: base?.title, sides: sides.map { Optional($0.title) }, hasBase: base != nil)
        var parts: [MergedReport.Part] = []
        for id in sectionOrder(sides) {
            let texts = sides.map { side in side.sections.first { $0.id == id }?.text }
            let baseText = base?.sections.first { $0.id == id }?.text
            parts.append(part(base: baseText, sides: texts, hasBase: base != nil))
        }
        return MergedReport(title: title, sections: parts.filter { $0 != .clean(nil) })
    }

    /// Every section identity any side holds, in the first side's order, with another side's additions placed
    /// after the section they follow on that side, and after the sections placed there that this side does not
    /// hold (earlier sides' additions, sections this side dropped).
    static func sectionOrder(_ sides: [ReportBody]) -> [SectionID] {
        var order: [SectionID] = []
        for side in sides {
            let held = Set(side.sections.map(\.id))
            var previous: SectionID?
            for section in side.sections {
                if !order.contains(section.id) {
                    // `previous` is already in the order: it was placed when this side's walk passed it.
                    var at = previous.flatMap { order.firstIndex(of: $0) }.map { $0 + 1 } ?? 0
                    while at < order.count, !held.contains(order[at]) { at += 1 }
                    order.insert(section.id, at: at)
                }
                previous = section.id
            }
        }
        return order
    }

    /// One title or section: `nil` stands for "absent" (a section a side dropped or never had).
    static func part(base: String?, sides: [String?], hasBase: Bool) -> MergedReport.Part {
        if Set(sides).count == 1 { return .clean(sides[0]) }
        guard hasBase else { return .conflict(base: base, sides: sides) }
        let changed = sides.filter { $0 != base }
        if Set(changed).count == 1 { return .clean(changed[0]) }
        if let base, changed.allSatisfy({ $0 != nil }) {
            var merged: String? = changed[0]
            for other in changed.dropFirst() {
                merged = merged.flatMap { ThreeWayMerge.mergeSentences(base: base, ours: $0, theirs: other!) }
            }
            if let merged { return .clean(merged) }
        }
        return .conflict(base: base, sides: sides)
    }
}

/// A report merged section by section: each title or section is settled, or left for a person.
public struct MergedReport: Sendable, Equatable {
    /// One title or section of the merge.
    public enum Part: Sendable, Equatable {
        /// Settled: the text, or nil for a section the merge drops.
        case clean(String?)
        /// Left for a person: the base's text (nil when the base had none) and each side's (nil where a side has
        /// none), in the order of the sides.
        case conflict(base: String?, sides: [String?])
    }

    /// The title.
    public var title: Part
    /// The sections, in order; dropped sections are left out.
    public var sections: [Part]

    /// True when every part is settled.
    public var isClean: Bool {
        ([title] + sections).allSatisfy { if case .clean = $0 { true } else { false } }
    }

    /// The number of parts left for a person.
    public var conflictCount: Int {
        ([title] + sections).filter { if case .conflict = $0 { true } else { false } }.count
    }
}
