import Foundation

/// How a line marks the start of a report on a page that holds several.
enum ReportMarker: Equatable, Sendable {
    /// `篇一:标题`, `第3篇 标题`, `【篇一】标题`, `标题篇一`, `标题 篇1`: the line is the title;
    /// `bare` is the title without the marker, so a running header repeating it is recognised.
    case titleLine(bare: String)
    /// `【篇一】` or `篇二` on a line of its own: the report's title, if it has one, is the next line.
    case alone(marker: String)

    private static let prefixed = try! NSRegularExpression(pattern:
        #"^(篇[一二三四五六七八九十百]+\s*[:：]\s*\S|第\s*[0-9０-９一二三四五六七八九十百]+\s*篇[\s:：]+\S|【\s*(篇\s*[一二三四五六七八九十百0-9０-９]+|第\s*[0-9０-９一二三四五六七八九十百]+\s*篇)\s*】\s*\S)"#)
    private static let alone = try! NSRegularExpression(pattern:
        #"^【?\s*(篇\s*[一二三四五六七八九十百0-9０-９]+|第\s*[0-9０-９一二三四五六七八九十百]+\s*篇)\s*】?\s*[:：]?$"#)
    private static let suffixed = try! NSRegularExpression(pattern:
        #"^([^。，,；;！!？?：:【】]{2,50}?)\s*篇\s*([一二三四五六七八九十]{1,3}|[0-9０-９]{1,2})$"#)

    /// The marker `line` carries, if any.
    static func parse(_ line: String) -> ReportMarker? {
        let trimmed = LineText.trimmed(line)
        guard trimmed.unicodeScalars.count <= 120, LineText.contains(trimmed, "篇") else { return nil }
        let text = String(trimmed)
        let range = NSRange(text.startIndex..., in: text)
        if prefixed.firstMatch(in: text, range: range) != nil {
            let separators: Set<Character> = [":", "：", "】"]
            let cut: String.Index
            if let close = text.firstIndex(of: "】") {
                cut = text.index(after: close)
            } else if text.hasPrefix("第"), let pian = text.firstIndex(of: "篇") {
                cut = text.index(after: pian)
            } else {
                cut = text.firstIndex(where: { $0 == ":" || $0 == "：" }).map { text.index(after: $0) } ?? text.endIndex
            }
            let bare = text[cut...].drop(while: { $0.isWhitespace || separators.contains($0) })
            return .titleLine(bare: String(LineText.trimmed(bare)))
        }
        if let match = alone.firstMatch(in: text, range: range), let core = Range(match.range(at: 1), in: text) {
            return .alone(marker: String(text[core]))
        }
        if let match = suffixed.firstMatch(in: text, range: range), let stem = Range(match.range(at: 1), in: text) {
            let bare = String(LineText.trimmed(text[stem]))
            guard LineClassifier.namesAReport(bare), HeadingLabel.parse(bare) == nil else { return nil }
            return .titleLine(bare: bare)
        }
        return nil
    }
}
