/// Three-way merge of two texts that both changed from a common base.
///
/// Works on Unicode scalars (Chinese has no spaces between words, so lines or words would be far too coarse for
/// short annotations), compared exactly: a text in NFC and the same text in NFD are different texts. Each side's changes are a list of hunks (a replaced range of the base); when no hunk of one side
/// overlaps or touches a hunk of the other, both sides' changes apply. Otherwise the merge fails and the caller
/// keeps both versions as a conflict.
public enum ThreeWayMerge {
    /// A change of one side: `base[start..<end]` replaced by `replacement`.
    struct Hunk<Element: Hashable>: Equatable {
        var start: Int
        var end: Int
        var replacement: [Element]
    }

    /// The longest base plus changed text, in scalars, that is diffed: the diff costs up to the square of it, and
    /// any text a peer sends is merged on every peer. Longer concurrent edits are a conflict for a person to settle.
    public static let maximumDiffLength = 20_000

    /// The merged text, or nil when the two sides changed the same or touching parts of the base (or are too long
    /// to compare in bounded time).
    public static func merge(base: String, ours: String, theirs: String) -> String? {
        merge(base: Array(base.unicodeScalars), ours: Array(ours.unicodeScalars), theirs: Array(theirs.unicodeScalars))
            .map { String(String.UnicodeScalarView($0)) }
    }

    /// The merged text, merged sentence by sentence: a sentence (up to and including 。！？；!?; or a line end)
    /// is changed as a whole, so two edits in one sentence, or in two sentences next to each other, are a conflict,
    /// never spliced into a sentence neither side wrote (a number one side changed next to a word the other
    /// changed). For a report's sections, where sentences are what people edit and numbers are what they read.
    public static func mergeSentences(base: String, ours: String, theirs: String) -> String? {
        merge(base: sentences(of: base), ours: sentences(of: ours), theirs: sentences(of: theirs)).map { $0.joined() }
    }

    /// `text` cut after each sentence end (。！？；!?; or a line end); joined again they are `text`.
    public static func sentences(of text: String) -> [String] {
        var sentences: [String] = []
        var current = ""
        for character in text {
            current.append(character)
            if "。！？；!?;\n\r\n".contains(character) {
                sentences.append(current)
                current = ""
            }
        }
        if !current.isEmpty { sentences.append(current) }
        return sentences
    }

    static func merge<Element: Hashable>(base: [Element], ours: [Element], theirs: [Element]) -> [Element]? {
        if ours == theirs { return ours }
        if ours == base { return theirs }
        if theirs == base { return ours }
        guard base.count + max(ours.count, theirs.count) <= maximumDiffLength else { return nil }
        let ourHunks = hunks(from: base, to: ours)
        let theirHunks = hunks(from: base, to: theirs)
        var combined: [Hunk<Element>] = ourHunks
        for hunk in theirHunks {
            if ourHunks.contains(hunk) { continue }
            if ourHunks.contains(where: { conflicts($0, hunk) }) { return nil }
            combined.append(hunk)
        }
        combined.sort { $0.start != $1.start ? $0.start < $1.start : $0.end < $1.end }
        var result: [Element] = []
        var position = 0
        for hunk in combined {
            result += base[position..<hunk.start]
            result += hunk.replacement
            position = hunk.end
        }
        result += base[position...]
        return result
    }

    /// Hunks overlap or touch: they change the same part of the text, so neither can be applied after the other
    /// with confidence.
    static func conflicts<Element>(_ lhs: Hunk<Element>, _ rhs: Hunk<Element>) -> Bool {
        lhs.start <= rhs.end && rhs.start <= lhs.end
    }

    /// The changes from `base` to `changed`, as hunks ordered by position in the base.
    static func hunks<Element: Hashable>(from base: [Element], to changed: [Element]) -> [Hunk<Element>] {
        let difference = changed.difference(from: base)
        var removedAt = Set<Int>()
        var insertions: [Int: [Element]] = [:]  // keyed by the offset in `changed`
        for change in difference {
            switch change {
            case let .remove(offset, _, _): removedAt.insert(offset)
            case let .insert(offset, element, _): insertions[offset, default: []].append(element)
            }
        }
        // Walk both texts in step: kept characters advance both; removals advance the base; insertions the result.
        var hunks: [Hunk<Element>] = []
        var baseIndex = 0
        var changedIndex = 0
        var current: Hunk<Element>?
        while baseIndex < base.count || changedIndex < changed.count {
            if baseIndex < base.count, removedAt.contains(baseIndex) {
                if current == nil { current = Hunk(start: baseIndex, end: baseIndex, replacement: []) }
                baseIndex += 1
                current?.end = baseIndex
            } else if changedIndex < changed.count, insertions[changedIndex] != nil {
                if current == nil { current = Hunk(start: baseIndex, end: baseIndex, replacement: []) }
                current?.replacement.append(changed[changedIndex])
                changedIndex += 1
            } else {
                if let hunk = current {
                    hunks.append(hunk)
                    current = nil
                }
                baseIndex += 1
                changedIndex += 1
            }
        }
        if let hunk = current { hunks.append(hunk) }
        return hunks
    }
}
