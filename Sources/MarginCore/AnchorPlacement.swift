/// Where an anchored annotation sits in a (possibly changed) section text.
public enum AnchorPlacement: Sendable, Equatable {
    /// The quote is still at its stored position.
    case exact(start: Int, end: Int)
    /// The exact quote was found elsewhere in the text (the nearest occurrence to the old position).
    case moved(start: Int, end: Int)
    /// An approximate match was accepted; `score` is in 0…1.
    case approximate(start: Int, end: Int, score: Double)
    /// The quote could not be placed: the annotation is kept with its old quote until re-anchored.
    case orphaned

    /// A word for the placement, as stored and shown.
    public var status: String {
        switch self {
        case .exact: "exact"
        case .moved: "moved"
        case .approximate: "approximate"
        case .orphaned: "orphaned"
        }
    }

    /// The placed span, unless orphaned.
    public var span: (start: Int, end: Int)? {
        switch self {
        case let .exact(start, end), let .moved(start, end), let .approximate(start, end, _): (start, end)
        case .orphaned: nil
        }
    }
}

/// Re-anchors a quote in a changed text: first the stored position, then an exact search near the old position,
/// then an approximate match (bounded edit distance) scored on the quote, its context and the distance moved.
public enum Reanchoring {
    /// The smallest combined score an approximate match needs.
    public static let acceptanceThreshold = 0.6

    /// Places an anchor in a text.
    public static func place(_ anchor: TextAnchor, in text: String) -> AnchorPlacement {
        if anchor.matches(text) { return .exact(start: anchor.start, end: anchor.end) }
        let haystack = Array(text.unicodeScalars)
        let needle = Array(anchor.quote.unicodeScalars)
        guard !needle.isEmpty, !haystack.isEmpty else { return .orphaned }
        // Both searches cost up to quote × text steps. Any value a peer may send is accepted and placed on every
        // peer, so a quote and text too large to search in bounded time are orphaned, the same way everywhere,
        // rather than stalling every peer that receives them. Honest quotes are far below these bounds.
        let work = needle.count.multipliedReportingOverflow(by: haystack.count)
        guard !work.overflow, work.partialValue <= maximumExactSearchWork else { return .orphaned }
        let exact = TextAnchor.occurrences(of: needle, in: haystack)
        if let nearest = exact.min(by: { abs($0 - anchor.start) < abs($1 - anchor.start) }) {
            return .moved(start: nearest, end: nearest + needle.count)
        }
        guard work.partialValue <= maximumApproximateSearchWork else { return .orphaned }
        return approximate(anchor, needle: needle, haystack: haystack)
    }

    /// The most quote × text steps an exact search may take (about a tenth of a second).
    public static let maximumExactSearchWork = 200_000_000
    /// The most quote × text cells an approximate match may fill (about a tenth of a second).
    public static let maximumApproximateSearchWork = 20_000_000

    /// Sellers' approximate substring matching: edit distance of the quote against every substring of the text,
    /// keeping for each alignment where it started. Bounded to `maximumDistance` edits.
    static func approximate(_ anchor: TextAnchor, needle: [Unicode.Scalar], haystack: [Unicode.Scalar]) -> AnchorPlacement {
        let maximumDistance = max(1, needle.count * 3 / 10)
        let m = needle.count
        var previousCost = Array(0...m)
        var previousStart = Array(repeating: 0, count: m + 1)
        var candidates: [(start: Int, end: Int, distance: Int)] = []
        for column in 1...haystack.count {
            var cost = Array(repeating: 0, count: m + 1)
            var start = Array(repeating: column, count: m + 1)  // an alignment may begin at any position
            for row in 1...m {
                let substitution = previousCost[row - 1] + (needle[row - 1] == haystack[column - 1] ? 0 : 1)
                let deletion = cost[row - 1] + 1
                let insertion = previousCost[row] + 1
                if substitution <= deletion && substitution <= insertion {
                    cost[row] = substitution
                    start[row] = row == 1 ? column - 1 : previousStart[row - 1]
                } else if insertion <= deletion {
                    cost[row] = insertion
                    start[row] = previousStart[row]
                } else {
                    cost[row] = deletion
                    start[row] = start[row - 1]
                }
            }
            if cost[m] <= maximumDistance { candidates.append((start[m], column, cost[m])) }
            previousCost = cost
            previousStart = start
        }
        var best: (start: Int, end: Int, score: Double)?
        for candidate in candidates {
            let score = self.score(anchor, candidate.start, candidate.end, distance: candidate.distance, haystack: haystack)
            if best == nil || score > best!.score { best = (candidate.start, candidate.end, score) }
        }
        guard let best, best.score >= acceptanceThreshold else { return .orphaned }
        return .approximate(start: best.start, end: best.end, score: best.score)
    }

    /// 70% similarity of the quote, 20% agreement of the surrounding context, 10% closeness to the old position.
    static func score(_ anchor: TextAnchor, _ start: Int, _ end: Int, distance: Int, haystack: [Unicode.Scalar]) -> Double {
        let quoteLength = Array(anchor.quote.unicodeScalars).count
        let similarity = 1 - Double(distance) / Double(max(quoteLength, 1))
        let prefix = Array(anchor.prefix.unicodeScalars)
        let suffix = Array(anchor.suffix.unicodeScalars)
        var prefixMatches = 0
        while prefixMatches < prefix.count, start - prefixMatches - 1 >= 0,
            prefix[prefix.count - prefixMatches - 1] == haystack[start - prefixMatches - 1]
        { prefixMatches += 1 }
        var suffixMatches = 0
        while suffixMatches < suffix.count, end + suffixMatches < haystack.count,
            suffix[suffixMatches] == haystack[end + suffixMatches]
        { suffixMatches += 1 }
        let contextLength = prefix.count + suffix.count
        let context = contextLength == 0 ? 1 : Double(prefixMatches + suffixMatches) / Double(contextLength)
        let proximity = 1 - min(1, Double(abs(start - anchor.start)) / Double(max(haystack.count, 1)))
        return 0.7 * similarity + 0.2 * context + 0.1 * proximity
    }
}
