import Foundation

/// What the splitter decided about one input line.
enum LineRole: Equatable, Sendable {
    case blank
    /// Matched a furniture rule (or sits in a trailer block started by one).
    case furniture(rule: String)
    /// Non-blank text before the first report start (page title, intro blurbs).
    case beforeFirstReport
    /// The title line of report `report`.
    case title(report: Int)
    /// A copy of the current report's title used as a running header.
    case repeatedTitle(report: Int)
    /// Body text of report `report`.
    case body(report: Int)
}

/// Finds report boundaries and titles in a file's lines.
///
/// Explicit markers (`篇一:`, `第3篇 `) win when present; otherwise each short
/// title-like line followed by a blank line starts a report; as a last resort the
/// first title-like line anywhere is the single report's title.
enum ReportSplitter {
    struct Result {
        var titles: [String]
        var roles: [LineRole]
    }

    private static let explicitMarker = try! NSRegularExpression(
        pattern: #"^(篇[一二三四五六七八九十百]+\s*[:：]\s*\S|第\s*[0-9０-９一二三四五六七八九十百]+\s*篇[\s:：]+\S)"#)

    private static let titleKeywords = ["总结", "總結", "报告", "報告", "计划", "計劃", "要点", "要點",
                                        "汇报", "匯報", "规划", "規劃", "述职", "述職", "小结", "小結"]
    private static let sentencePunctuation: Set<Character> = ["。", "，", ",", "；", ";", "！", "!", "？", "?", "：", ":"]
    private static let maxTitleLength = 50

    static func split(lines: [String], rules: FurnitureRules) -> Result {
        var roles = [LineRole](repeating: .blank, count: lines.count)
        var candidates: [Int] = []
        var inTrailer = false
        for (i, line) in lines.enumerated() {
            if LineText.isBlank(line) { continue }
            let explicit = isExplicitMarker(line)
            if explicit { inTrailer = false }
            if !explicit, let rule = rules.match(line) {
                if rule.kind == .trailerMarker { inTrailer = true }
                roles[i] = .furniture(rule: rule.description)
            } else if inTrailer {
                roles[i] = .furniture(rule: "after trailer marker")
            } else {
                roles[i] = .beforeFirstReport
                candidates.append(i)
            }
        }

        var starts = candidates.filter { isExplicitMarker(lines[$0]) }
        var repeated: Set<Int> = []
        if starts.isEmpty {
            var current: String?
            for i in candidates where isTitleLike(lines[i]) && isFollowedByBlank(i, lines) {
                let text = String(LineText.trimmed(lines[i]))
                if text == current { repeated.insert(i) } else { starts.append(i); current = text }
            }
        }
        if starts.isEmpty, let first = candidates.first(where: { isTitleLike(lines[$0]) }) {
            starts = [first]
        }

        var titles: [String] = []
        for (report, start) in starts.enumerated() {
            let title = String(LineText.trimmed(lines[start]))
            titles.append(title)
            roles[start] = .title(report: report)
            let end = report + 1 < starts.count ? starts[report + 1] : lines.count
            let bareTitle = strippingMarker(title)
            for i in (start + 1)..<end where roles[i] == .beforeFirstReport {
                let text = LineText.trimmed(lines[i])
                let isRepeat = repeated.contains(i) || LineText.same(text, title) || LineText.same(text, bareTitle)
                roles[i] = isRepeat ? .repeatedTitle(report: report) : .body(report: report)
            }
        }
        return Result(titles: titles, roles: roles)
    }

    static func isExplicitMarker(_ line: String) -> Bool {
        let text = LineText.trimmed(line)
        guard LineText.hasPrefix(text, "篇") || LineText.hasPrefix(text, "第") else { return false }
        let prefix = String(text.prefix(40))
        return explicitMarker.firstMatch(in: prefix, range: NSRange(prefix.startIndex..., in: prefix)) != nil
    }

    /// Short, no sentence punctuation, names a kind of report, and is not a numbered heading.
    static func isTitleLike(_ line: String) -> Bool {
        guard line.utf8.count <= maxTitleLength * 4 else { return false }
        let text = LineText.trimmed(line)
        guard (4...maxTitleLength).contains(text.count),
              !text.contains(where: sentencePunctuation.contains),
              titleKeywords.contains(where: { LineText.contains(text, $0) })
        else { return false }
        return HeadingLabel.parse(line) == nil
    }

    private static func isFollowedByBlank(_ i: Int, _ lines: [String]) -> Bool {
        i + 1 < lines.count && LineText.isBlank(lines[i + 1])
    }

    /// "篇一:标题" → "标题", "第3篇 标题" → "标题", so a bare running header is recognised.
    private static func strippingMarker(_ title: String) -> String {
        guard isExplicitMarker(title) else { return title }
        let prefixEnd = title.firstIndex(where: { $0 == ":" || $0 == "：" || $0.isWhitespace }) ?? title.startIndex
        return String(LineText.trimmed(title[prefixEnd...].drop(while: { $0 == ":" || $0 == "：" || $0.isWhitespace })))
    }
}
