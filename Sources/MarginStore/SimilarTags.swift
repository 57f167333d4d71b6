/// The tags in use that a mistyped tag may have meant, for a message that suggests them: those equal to it but for
/// case, and those a few edits away (one for a short tag, two for a longer one; a swap of neighbours is one).
enum SimilarTags {
    /// At most `limit` tags of `inUse` close to `typed`, closest first, then in tag order.
    static func closest(to typed: String, among inUse: [String], limit: Int = 3) -> [String] {
        let target = Array(typed.lowercased())
        let allowed = target.count <= 4 ? 1 : 2
        return inUse.compactMap { tag -> (tag: String, distance: Int)? in
            guard !tag.utf8.elementsEqual(typed.utf8) else { return nil }
            let distance = editDistance(target, Array(tag.lowercased()), atMost: allowed)
            return distance.map { (tag, $0) }
        }
        .sorted { ($0.distance, $0.tag) < ($1.distance, $1.tag) }
        .prefix(limit)
        .map(\.tag)
    }

    /// The edit distance between `a` and `b` in characters, a swap of two neighbours counting as one edit (as in
    /// `odl` for `old`), or nil when it is more than `bound`.
    static func editDistance(_ a: [Character], _ b: [Character], atMost bound: Int) -> Int? {
        guard abs(a.count - b.count) <= bound else { return nil }
        var before = Array(repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        for i in a.indices {
            var current = [i + 1] + Array(repeating: 0, count: b.count)
            for j in b.indices {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (a[i] == b[j] ? 0 : 1))
                if i > 0, j > 0, a[i] == b[j - 1], a[i - 1] == b[j] {
                    current[j + 1] = min(current[j + 1], before[j - 1] + 1)
                }
            }
            (before, previous) = (previous, current)
        }
        return previous[b.count] <= bound ? previous[b.count] : nil
    }
}
