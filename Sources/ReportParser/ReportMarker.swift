import Foundation

/// How a line marks the start of a report on a page that holds several.
enum ReportMarker: Equatable, Sendable {
    /// `篇一:标题`, `第3篇 标题`, `【篇一】标题`, `标题篇一`, `标题 篇1`: the line is the title;
    /// `bare` is the title without the marker, so a running header repeating it is recognised.
    case titleLine(bare: String)
    /// `【篇一】` or `篇二` on a line of its own: the report's title, if it has one, is the next line.
    case alone(marker: String)
    /// `…工作总结1`, `…工作计划 2`, `…工作总结三`: a title ending in a bare number. It marks a report
    /// only when the page numbers such titles in sequence from 1 (`LineClassifier` checks), since a
    /// single title may end in a number of its own.
    case numberedTitle(bare: String, number: Int)

    private static let prefixed = try! NSRegularExpression(pattern:
        #"^(篇[一二三四五六七八九十百]+\s*[:：]\s*\S|第\s*[0-9０-９一二三四五六七八九十百]+\s*篇[\s:：]+\S|【\s*(篇\s*[一二三四五六七八九十百0-9０-９]+|第\s*[0-9０-９一二三四五六七八九十百]+\s*篇)\s*】\s*\S)"#)
    private static let alone = try! NSRegularExpression(pattern:
        #"^【?\s*(篇\s*[一二三四五六七八九十百0-9０-９]+|第\s*[0-9０-９一二三四五六七八九十百]+\s*篇)\s*】?\s*[:：]?$"#)
    private static let suffixed = try! NSRegularExpression(pattern:
        #"^([^。，,；;！!？?：:【】]{2,50}?)\s*篇\s*([一二三四五六七八九十]{1,3}|[0-9０-９]{1,2})$"#)

    /// The marker `line` carries, if any.
    static func parse(_ line: String) -> ReportMarker? {
        let trimmed = LineText.trimmed(line)
        guard trimmed.unicodeScalars.count <= 120 else { return nil }
        guard LineText.contains(trimmed, "篇") else { return numberedTitle(trimmed) }
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

    /// 1–10 for 一 … 十 (a switch: this runs on every line that has no 篇).
    private static func chineseDigit(_ c: Unicode.Scalar) -> Int? {
        switch c {
        case "一": 1
        case "二": 2
        case "三": 3
        case "四": 4
        case "五": 5
        case "六": 6
        case "七": 7
        case "八": 8
        case "九": 9
        case "十": 10
        default: nil
        }
    }

    /// What a title ends with before its number: a kind of report, or `范文`.
    private static let stemEndings = ["总结", "總結", "报告", "報告", "计划", "計劃", "要点", "要點", "汇报", "匯報", "规划",
                                      "規劃", "述职", "述職", "小结", "小結", "范文", "範文"]

    /// `…工作总结1`, `…工作总结 2`, `…工作总结十二`: a stem ending in a kind of report, then 1–20.
    private static func numberedTitle(_ text: Substring) -> ReportMarker? {
        guard let last = text.unicodeScalars.last,
              ("0"..."9").contains(last) || ("０"..."９").contains(last) || chineseDigit(last) != nil else { return nil }
        guard text.utf8.count <= 240 else { return nil }
        let scalars = Array(text.unicodeScalars)
        guard scalars.count <= 60 else { return nil }
        var end = scalars.count
        let number: Int
        if ("0"..."9").contains(last) || ("０"..."９").contains(last) {
            while end > 0, end > scalars.count - 2, ("0"..."9").contains(scalars[end - 1]) || ("０"..."９").contains(scalars[end - 1]) { end -= 1 }
            number = scalars[end...].reduce(0) { value, c in
                let base: Unicode.Scalar = ("0"..."9").contains(c) ? "0" : "０"
                return value * 10 + Int(c.value - base.value)
            }
        } else if chineseDigit(last) != nil {
            while end > 0, end > scalars.count - 2, chineseDigit(scalars[end - 1]) != nil { end -= 1 }
            let digits = scalars[end...].map { chineseDigit($0)! }
            number = digits.count == 1 ? digits[0] : (digits[0] == 10 ? 10 + digits[1] : (digits[1] == 10 ? digits[0] * 10 : 0))
        } else {
            return nil
        }
        guard (1...20).contains(number) else { return nil }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[..<end])
        let bare = String(LineText.trimmed(String(view)))
        guard bare.count >= 4, stemEndings.contains(where: { bare.hasSuffix($0) }),
              !bare.contains(where: { "。，,；;！!？?：:【】".contains($0) }), HeadingLabel.parse(bare) == nil else { return nil }
        return .numberedTitle(bare: bare, number: number)
    }
}
