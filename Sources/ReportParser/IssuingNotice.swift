/// A notice that issues a document (`关于印发《某区教育局2024年工作要点》的通知`), followed on the page by the
/// document it issues under that document's own title line. The two are one report: the notice's text (to whom,
/// what to do, its signature and date) is the report's opening, and the issued document's title a line of it, not
/// the title of a second report.
enum IssuingNotice {
    /// What a notice does with the documents it names: issues, forwards, publishes them.
    static let issuingVerbs = ["印发", "转发", "下发", "发布", "颁发", "公布", "印發", "轉發", "下發", "發布", "頒發"]

    /// The names in `《…》` of the documents that `title` issues; empty when it is no notice that issues any.
    static func issuedDocuments(_ title: some StringProtocol) -> [Substring] {
        let text = LineText.trimmed(title)
        guard text.hasPrefix("关于") || text.hasPrefix("關於"), text.hasSuffix("通知"),
              issuingVerbs.contains(where: { LineText.contains(text, $0) }) else { return [] }
        var names: [Substring] = []
        var rest = text[...]
        while let open = rest.firstIndex(of: "《"), let close = rest[open...].firstIndex(of: "》") {
            names.append(rest[rest.index(after: open)..<close])
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    /// Whether `line` is the title of a document that the notice titled `notice` issues.
    static func issues(_ notice: some StringProtocol, _ line: some StringProtocol) -> Bool {
        let title = LineText.trimmed(line)
        return issuedDocuments(notice).contains { LineText.same($0, title) }
    }

    /// `titleLines` (indices into `lines`) without those that a notice before them issues.
    static func withoutIssuedDocuments(_ titleLines: [Int], in lines: [String]) -> [Int] {
        var kept: [Int] = []
        for line in titleLines {
            if let notice = kept.last, issues(lines[notice], lines[line]) { continue }
            kept.append(line)
        }
        return kept
    }
}
