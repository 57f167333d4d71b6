/// A numbered list inside a numbered item: the item's line announces it with a colon, and the list numbers itself
/// from 1 again in the item's own kind of label.
///
///     2.加强课程建设。重点做好三项工作：
///     1.修订区本课程纲要；
///     2.建设精品课程资源库；
///     3.开展课程实施质量评估。
///     3.深化教学改革。…
///
/// The second 1.–3. are text of item 2, not sections beside it: they restart a numbering that is under way, right
/// after a line ending in a colon, and each is a short item ending in `；` or `。`.
enum ListInItem {
    /// A list item is at most this many characters (its label included).
    static let maximumItemLength = 60
    /// How a list item ends.
    static let itemEnds: Set<Unicode.Scalar> = ["；", ";", "。"]
    /// How the line before the list ends.
    static let announcements: Set<Unicode.Scalar> = ["：", ":"]

    /// The lines of the list whose first item is `lines[start]`, a label restarting its kind's numbering; empty when
    /// the line before does not announce a list or the first item is not a short one.
    static func items(startingAt start: Int, in lines: [String], labels: [HeadingLabel?]) -> [Int] {
        guard start > 0, let first = labels[start], let before = LineText.trimmed(lines[start - 1]).unicodeScalars.last,
              announcements.contains(before) else { return [] }
        var items: [Int] = []
        var index = start
        while index < lines.count, let label = labels[index], label.kind == first.kind, label.number == items.count + 1,
              isShortItem(lines[index]) {
            items.append(index)
            index += 1
        }
        return items
    }

    private static func isShortItem(_ line: String) -> Bool {
        let text = LineText.trimmed(line).unicodeScalars
        guard let last = text.last else { return false }
        return text.count <= maximumItemLength && itemEnds.contains(last)
    }
}
