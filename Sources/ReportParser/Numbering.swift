/// The last number seen at each kind of label, reset below a heading when it is accepted.
///
/// A decimal number (`1.2`) keeps its whole path, and the number of the last heading of another kind, which a
/// decimal's first part may name (`2.1` under `二、` or `2.`).
struct Numbering {
    private var last: [HeadingLabel.Kind: Int] = [:]
    /// The last decimal number accepted (`[1, 2]` for `1.2`), until a top-level heading closes its outline.
    private var decimal: [Int]?
    /// The number of the last heading accepted that is not a decimal.
    private var enclosing: Int?

    /// No heading has been accepted yet.
    var isEmpty: Bool { last.isEmpty }

    /// The deepest kind numbered so far; decimals, whose depth the document decides, aside.
    private var deepest: HeadingLabel.Kind? { last.keys.filter { $0 != .decimal }.max() }

    mutating func accept(_ label: HeadingLabel) {
        last[label.kind] = label.number
        if label.kind == .decimal {
            decimal = label.path
            return
        }
        enclosing = label.number
        for kind in HeadingLabel.Kind.allCases where kind > label.kind && kind != .decimal { last[kind] = nil }
        if label.kind <= .chinese { (decimal, last[.decimal]) = (nil, nil) }
    }

    /// The label is the next number at its kind (`二、` after `一、`; for decimals, see `decimalContinues`).
    func continues(_ label: HeadingLabel) -> Bool {
        if label.kind == .decimal { return decimalContinues(label) }
        return last[label.kind].map { label.number == $0 + 1 } ?? false
    }

    /// Whether a decimal number goes on from the outline so far: the next at its depth or above (`1.2` after `1.1` or
    /// `1.1.3`), the first below the last (`1.1.1` after `1.1`), or the first under the heading its first part names
    /// (`2.1` after `二、` or `2.`; after `1.3` where no other heading stands, or at the very start, `1.1`).
    func decimalContinues(_ label: HeadingLabel) -> Bool {
        let path = label.path
        let depth = path.count
        guard depth >= 2 else { return false }
        if let decimal {
            if depth <= decimal.count, path.prefix(depth - 1) == decimal.prefix(depth - 1),
               path[depth - 1] == decimal[depth - 1] + 1 { return true }
            if depth == decimal.count + 1, path.prefix(decimal.count) == decimal[...], path[depth - 1] == 1 { return true }
        }
        guard depth == 2, path[1] == 1 else { return false }
        if let enclosing, path[0] == enclosing { return true }
        return decimal.map { path[0] == $0[0] + 1 } ?? (enclosing == nil && path[0] == 1)
    }

    /// The label is a `1` one kind below the deepest heading seen (or the first heading at all).
    func opensChild(_ label: HeadingLabel) -> Bool {
        guard label.kind != .decimal, label.number == 1, last[label.kind] == nil else { return false }
        return deepest.map { $0 < label.kind } ?? true
    }

    /// The label is the `1` of the kind just below the deepest heading open (`（一）` under `一、`; `一、` under `壹、`
    /// too, since a report may leave out the `（壹）` between them).
    func opensFirstChild(_ label: HeadingLabel) -> Bool {
        guard label.kind != .decimal, label.number == 1, last[label.kind] == nil, let deepest, deepest < label.kind else {
            return false
        }
        return HeadingLabel.Kind.allCases.filter { $0 > deepest && $0 < label.kind }.allSatisfy(\.mayBeSkipped)
    }

    /// The label is a `1` of a kind whose numbering is under way at this level (`1.` after `2.`).
    func restarts(_ label: HeadingLabel) -> Bool {
        label.kind != .decimal && label.number == 1 && last[label.kind] != nil
    }

    /// The label does not move its kind's numbering back.
    func mayStartAt(_ label: HeadingLabel) -> Bool {
        label.kind != .decimal && label.number >= (last[label.kind] ?? 1)
    }

    /// A top-level `一、` after the sequence has begun restarts it only when the next top-level
    /// label is `二、` and the old sequence would not go on with `二、` itself. A decimal number at a line's start
    /// must go on from the outline (`decimalContinues`), except a chapter line (`DecimalChapters` confirmed it), and a
    /// formal numeral (bare or in brackets), a Roman numeral, a circled `①` or a `1）` from the one before.
    func acceptsAtLineStart(_ label: HeadingLabel, followedBy rest: ArraySlice<HeadingLabel?>) -> Bool {
        if label.kind == .decimal { return label.path.count == 1 || decimalContinues(label) }
        // Formal and Roman numerals are words too (`陆、海、空`, `拾、捡`, `Ⅱ 型`), and `①` or `1）` marks in text: one heads a
        // section only as the next in its run from 1.
        if label.kind.numbersOnlyInItsRun { return label.number == (last[label.kind] ?? 0) + 1 }
        guard label.kind <= .chinese, label.number == 1, let previous = last[label.kind] else { return true }
        guard let next = rest.lazy.compactMap({ $0 }).first(where: { $0.kind == label.kind }) else { return false }
        return next.number == 2 && previous != 1
    }
}
