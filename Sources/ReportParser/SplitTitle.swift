/// A title set on two lines, as an official document or its PDF export sets it: the unit's name above what it
/// reports (`龙泉县教育局` over `2023年工作总结`). The unit's line is part of the title; read alone, it was dropped
/// as a line before the report and the report was titled `2023年工作总结`.
///
/// The upper line stands at the top of its block (the page's first line, or after a blank or a line of chrome),
/// right above the title line with no blank between, is short and unpunctuated, carries no number, names no kind of
/// report itself, and ends as a unit's name does (`局`, `厅`, `委员会`, `学校`); the title line below names no unit,
/// so a title that already has its own (`县教育局2023年工作总结` under a site's name) is not given a second.
enum SplitTitle {
    static let maxHeadLength = 24

    /// What a unit's name ends with.
    static let unitEndings = ["局", "厅", "廳", "委", "委员会", "委員會", "学校", "學校", "中学", "中學", "小学", "小學",
                              "中心", "办公室", "辦公室", "教育办", "教育辦", "政府"]

    /// The line above title line `title` that begins the title, if the title is set on two lines.
    static func head(of title: Int, in lines: [String], roles: [LineRole]) -> Int? {
        let head = title - 1
        guard head >= 0, roles[head] == .beforeFirstReport else { return nil }
        if head > 0 {
            let above = roles[head - 1]
            guard above == .blank || LineText.isBlank(lines[head - 1]) || isFurniture(above) else { return nil }
        }
        let text = LineText.trimmed(lines[head])
        guard (2...maxHeadLength).contains(text.count), text.allSatisfy({ $0.isLetter || $0.isNumber }),
              HeadingLabel.parse(lines[head]) == nil, !LineClassifier.namesAReport(text),
              unitEndings.contains(where: { text.hasSuffix($0) }) else { return nil }
        let below = LineText.trimmed(lines[title])
        guard !unitEndings.contains(where: { LineText.contains(below, $0) }) else { return nil }
        return head
    }

    private static func isFurniture(_ role: LineRole) -> Bool {
        if case .furniture = role { return true }
        return false
    }
}
