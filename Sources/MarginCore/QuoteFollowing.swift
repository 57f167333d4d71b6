/// Where an annotation sits in its report's current text: in the section its revision names, in another section
/// its quote moved to, or nowhere.
public enum ReportPlacement: Sendable, Equatable {
    /// In the section the revision names (any placement, including orphaned with no other candidate).
    case inSection(AnchorPlacement)
    /// The exact quote is no longer in its own section but occurs once in this other section, at this span.
    case relocated(section: SectionID, start: Int, end: Int)
    /// The exact quote is no longer in its own section and occurs in several others (listed in report order):
    /// the note stays orphaned until a person places it.
    case ambiguous(candidates: [SectionID])

    /// The word stored and shown: the section placement's word, `relocated`, or `orphaned` when ambiguous.
    public var status: String {
        switch self {
        case let .inSection(placement): placement.status
        case .relocated: Self.relocatedStatus
        case .ambiguous: AnchorPlacement.orphaned.status
        }
    }

    /// The word for a note that followed its quote to another section.
    public static let relocatedStatus = "relocated"

    /// The placed span in the section the note is shown on, unless orphaned.
    public var span: (start: Int, end: Int)? {
        switch self {
        case let .inSection(placement): placement.span
        case let .relocated(_, start, end): (start, end)
        case .ambiguous: nil
        }
    }

    /// The other section the note followed its quote to, if it did.
    public var relocatedSection: SectionID? {
        if case let .relocated(section, _, _) = self { return section }
        return nil
    }

    /// The sections that each hold the quote, when there are several to choose from.
    public var candidates: [SectionID] {
        if case let .ambiguous(candidates) = self { return candidates }
        return []
    }
}

/// Lets a note follow its quote out of its section: when a new revision of a report moves the quoted sentence under
/// another heading (a paragraph moved, a section split in two), the note goes with it.
///
/// Pure and ordered so that every peer computes the same placement from the same revisions:
/// 1. the exact quote in its own section (at its position, else the nearest occurrence);
/// 2. the exact quote once in exactly one other section: the note is relocated there;
/// 3. an approximate match in its own section (an exact quote elsewhere is the stronger evidence);
/// 4. otherwise orphaned, with the other sections that hold the quote as candidates when there are several.
public enum QuoteFollowing {
    /// One section of the report as it reads now.
    public struct Section: Sendable, Equatable {
        /// The section's identity.
        public var id: SectionID
        /// Its current text.
        public var text: String

        /// A section and its text.
        public init(id: SectionID, text: String) {
            self.id = id
            self.text = text
        }
    }

    /// Places an anchor in its report.
    ///
    /// - Parameters:
    ///   - ownText: the text of the section the revision names, or nil when that section is gone from the report.
    ///   - sections: every section of the report in report order (the own section, if listed, is skipped); read
    ///     only when the quote is not found exactly in its own section.
    public static func place(
        _ anchor: TextAnchor, ownSection: SectionID, ownText: String?, sections: () throws -> [Section]
    ) rethrows -> ReportPlacement {
        let own = ownText.map { Reanchoring.place(anchor, in: $0) } ?? .orphaned
        switch own {
        case .exact, .moved: return .inSection(own)
        case .approximate, .orphaned: break
        }
        let needle = Array(anchor.quote.unicodeScalars)
        guard !needle.isEmpty else { return .inSection(own) }
        let others = try sections().filter { $0.id != ownSection }
        // The whole report is searched: bounded like one section's search, the same way on every peer.
        var work = 0
        for section in others {
            let step = needle.count.multipliedReportingOverflow(by: section.text.unicodeScalars.count)
            let sum = work.addingReportingOverflow(step.partialValue)
            guard !step.overflow, !sum.overflow, sum.partialValue <= Reanchoring.maximumExactSearchWork else {
                return .inSection(own)
            }
            work = sum.partialValue
        }
        var found: [(section: SectionID, starts: [Int])] = []
        for section in others {
            let starts = TextAnchor.occurrences(of: needle, in: Array(section.text.unicodeScalars))
            if !starts.isEmpty { found.append((section.id, starts)) }
        }
        if found.count == 1, found[0].starts.count == 1 {
            return .relocated(section: found[0].section, start: found[0].starts[0], end: found[0].starts[0] + needle.count)
        }
        if case .approximate = own { return .inSection(own) }
        if found.isEmpty { return .inSection(.orphaned) }
        return .ambiguous(candidates: found.map(\.section))
    }
}
