import Foundation

/// What the classifier decided about one input line.
enum LineRole: Equatable, Sendable {
    case blank
    /// Site chrome: matched a rule (or sits in a trailer block started by one).
    case furniture(rule: String)
    /// The header of a page that collects several reports (`…(通用3篇)`); never a report.
    case collectionHeader(rule: String)
    /// Article metadata (time, source, author, counters …) right after a title.
    case metadata(rule: String)
    /// A marker on a line of its own (`【篇一】`) that starts report `report`.
    case reportMarker(report: Int)
    /// Non-blank text before the first report start (page title, intro blurbs).
    case beforeFirstReport
    /// The title line of report `report`.
    case title(report: Int)
    /// A copy of the current report's title used as a running header.
    case repeatedTitle(report: Int)
    /// Body text of report `report`.
    case body(report: Int)
}

/// Gives each line of a page a role from the page's structure: chrome and metadata by the
/// data-driven `FurnitureRules`, report starts by markers (`篇一:`, `第3篇`, `【篇一】`,
/// `…总结篇一`) or else by short title lines followed by a blank or metadata line, and the
/// text between starts as report bodies.
///
/// A page with no title line but numbered headings is still one report; its title then comes
/// from the page's document name, its first line or heading, or the file name (`TitleSource`).
enum LineClassifier {
    struct Result {
        var titles: [String]
        var titleSources: [TitleSource]
        var roles: [LineRole]
    }

    private struct Start {
        /// The report's first line: its marker, its title, or (without either) its first body line.
        var first: Int
        var titleLine: Int?
        var title: String
        var bare: String
        var source: TitleSource
        /// The first line after the marker and title.
        var bodyFrom: Int
        /// The upper line of a title set on two lines (`SplitTitle`).
        var titleHead: Int? = nil
    }

    private static let titleKeywords = ["总结", "總結", "报告", "報告", "计划", "計劃", "要点", "要點",
                                        "汇报", "匯報", "规划", "規劃", "述职", "述職", "小结", "小結"]
    private static let sentencePunctuation: Set<Character> = ["。", "，", ",", "；", ";", "！", "!", "？", "?", "：", ":"]
    private static let maxTitleLength = 50

    static func classify(lines: [String], fileName: String, rules: FurnitureRules) -> Result {
        var roles = [LineRole](repeating: .blank, count: lines.count)
        var markers: [Int: ReportMarker] = [:]
        var metadata: [Int: FurnitureRule] = [:]
        var headers: [Int] = []
        var documentName: String?
        var candidates: [Int] = []
        var numbered: [(line: Int, bare: String, number: Int)] = []
        var inTrailer = false
        for (i, line) in lines.enumerated() where !LineText.isBlank(line) {
            if let marker = ReportMarker.parse(line) {
                if case .numberedTitle(let bare, let number) = marker {
                    // Confirmed below, by the page's sequence; until then an ordinary line.
                    numbered.append((i, bare, number))
                } else {
                    inTrailer = false
                    markers[i] = marker
                    roles[i] = .beforeFirstReport
                    candidates.append(i)
                    continue
                }
            }
            guard let rule = rules.match(line) else {
                if inTrailer {
                    roles[i] = .furniture(rule: "after trailer marker")
                } else {
                    roles[i] = .beforeFirstReport
                    candidates.append(i)
                }
                continue
            }
            if inTrailer && rule.role != .chrome {
                roles[i] = .furniture(rule: "after trailer marker")
                continue
            }
            switch rule.role {
            case .metadata:
                // Only where it sits decides whether this is metadata; see below.
                metadata[i] = rule
                roles[i] = .beforeFirstReport
                candidates.append(i)
            case .collectionHeader:
                roles[i] = .collectionHeader(rule: rule.description)
                headers.append(i)
            case .documentName:
                if documentName == nil { documentName = documentTitle(line) }
                roles[i] = .furniture(rule: rule.description)
            case .chrome:
                if rule.kind == .trailerMarker { inTrailer = true }
                roles[i] = .furniture(rule: rule.description)
            case .text:
                break // `rules.match` never returns a rule that keeps its line as text.
            }
        }

        for title in numberedInSequence(numbered, roles: roles) { markers[title.line] = .titleLine(bare: title.bare) }
        markTitleListAtTheEnd(lines, &roles, &candidates)

        var starts: [Start] = []
        var repeated: Set<Int> = []
        let markerLines = candidates.filter { markers[$0] != nil }
        if !markerLines.isEmpty {
            let collection = headers.first.map { collectionTitle(lines[$0]) }
            for i in markerLines {
                starts.append(start(at: i, marker: markers[i]!, lines: lines, candidates: candidates,
                                    metadata: metadata, collection: collection))
            }
        } else {
            var current: String?
            var titleLines = candidates.filter { metadata[$0] == nil && isTitleLike(lines[$0]) && isFollowedByBlankOrMetadata($0, lines, metadata, roles) }
            // Before the page-title test: a short notice is the report's opening, not a page's introduction.
            titleLines = IssuingNotice.withoutIssuedDocuments(titleLines, in: lines)
            if isPageTitle(titleLines, lines, candidates) { titleLines.removeFirst() }
            for i in titleLines {
                let text = String(LineText.trimmed(lines[i]))
                // A title repeated as a running header is one report; on a page that collects
                // reports under a header, reports may share a title and each is its own.
                if text == current && headers.isEmpty {
                    repeated.insert(i)
                } else if let head = SplitTitle.head(of: i, in: lines, roles: roles) {
                    let whole = String(LineText.trimmed(lines[head])) + text
                    var start = titleStart(i, whole)
                    (start.first, start.titleHead) = (head, head)
                    starts.append(start)
                    current = text
                } else {
                    starts.append(titleStart(i, text)); current = text
                }
            }
        }
        if starts.isEmpty, let first = candidates.first(where: { metadata[$0] == nil && isTitleLike(lines[$0]) }) {
            starts = [titleStart(first, String(LineText.trimmed(lines[first])))]
        }
        if starts.isEmpty, let header = headers.first {
            // A page whose only title-like line reads as a collection header ("…范文") is that one report.
            starts = [titleStart(header, String(LineText.trimmed(lines[header])))]
        }
        if starts.isEmpty, let untitled = untitledStart(lines, candidates, metadata, documentName, fileName) {
            starts = [untitled]
        }

        var titles: [String] = []
        var sources: [TitleSource] = []
        for (report, start) in starts.enumerated() {
            titles.append(start.title)
            sources.append(start.source)
            if start.source == .reportMarker || (start.titleLine.map { $0 != start.first } ?? false) {
                roles[start.first] = .reportMarker(report: report)
            }
            if let line = start.titleLine { roles[line] = .title(report: report) }
            if let head = start.titleHead { roles[head] = .title(report: report) }
            let end = report + 1 < starts.count ? starts[report + 1].first : lines.count
            var inHeader = true
            for i in start.bodyFrom..<max(start.bodyFrom, end) where roles[i] == .beforeFirstReport {
                let text = LineText.trimmed(lines[i])
                if inHeader, let rule = metadata[i] {
                    roles[i] = .metadata(rule: rule.description)
                } else if repeated.contains(i) || LineText.same(text, start.title) || LineText.same(text, start.bare) {
                    roles[i] = .repeatedTitle(report: report)
                } else {
                    inHeader = false
                    roles[i] = .body(report: report)
                }
            }
        }
        // Metadata of the page itself, under its header and before the first report.
        for (i, rule) in metadata where roles[i] == .beforeFirstReport { roles[i] = .metadata(rule: rule.description) }
        return Result(titles: titles, titleSources: sources, roles: roles)
    }

    private static func titleStart(_ i: Int, _ text: String) -> Start {
        Start(first: i, titleLine: i, title: text, bare: bareTitle(text), source: .titleLine, bodyFrom: i + 1)
    }

    /// A `【篇一】` line takes the next line as its title when that line reads as one.
    private static func start(at i: Int, marker: ReportMarker, lines: [String], candidates: [Int],
                              metadata: [Int: FurnitureRule], collection: String?) -> Start {
        switch marker {
        case .titleLine(let bare), .numberedTitle(let bare, _):
            return Start(first: i, titleLine: i, title: String(LineText.trimmed(lines[i])), bare: bare,
                         source: .titleLine, bodyFrom: i + 1)
        case .alone(let core):
            let onlyBlanksBetween = { (j: Int) in ((i + 1)..<j).allSatisfy { LineText.isBlank(lines[$0]) } }
            if let next = candidates.first(where: { $0 > i }), onlyBlanksBetween(next), metadata[next] == nil,
               isShortUnpunctuated(lines[next]), HeadingLabel.parse(lines[next]) == nil {
                let title = String(LineText.trimmed(lines[next]))
                return Start(first: i, titleLine: next, title: title, bare: title, source: .titleLine, bodyFrom: next + 1)
            }
            let title = collection.map { "\($0) \(core)" } ?? core
            return Start(first: i, titleLine: nil, title: title, bare: title, source: .reportMarker, bodyFrom: i + 1)
        }
    }

    /// A page without a title line is one report when it has numbered headings; its title is the
    /// document name a preview page shows, else its first line when that is short and unpunctuated
    /// or a heading, else the file name (in Unicode NFC).
    private static func untitledStart(_ lines: [String], _ candidates: [Int], _ metadata: [Int: FurnitureRule],
                                      _ documentName: String?, _ fileName: String) -> Start? {
        let text = candidates.filter { metadata[$0] == nil }
        guard let first = text.first, text.contains(where: { HeadingLabel.parse(lines[$0]) != nil }) else { return nil }
        if let documentName {
            return Start(first: first, titleLine: nil, title: documentName, bare: documentName, source: .pageTitle, bodyFrom: first)
        }
        let line = String(LineText.trimmed(lines[first]))
        if let heading = HeadingLabel.parse(line), !heading.heading.isEmpty {
            return Start(first: first, titleLine: nil, title: heading.heading, bare: heading.heading,
                         source: .firstHeading, bodyFrom: first)
        }
        if isShortUnpunctuated(line) {
            return Start(first: first, titleLine: first, title: line, bare: line, source: .firstHeading, bodyFrom: first + 1)
        }
        // NFC, as a source's file name is: macOS hands out names decomposed (NFD), and the title of one file must
        // not change with the system that names it, or importing it again would make another report.
        let stem = ((fileName as NSString).lastPathComponent as NSString).deletingPathExtension
            .precomposedStringWithCanonicalMapping
        return Start(first: first, titleLine: nil, title: stem, bare: stem, source: .fileName, bodyFrom: first)
    }

    static func namesAReport(_ text: some StringProtocol) -> Bool {
        titleKeywords.contains(where: { LineText.contains(text, $0) })
    }

    /// Short, no sentence punctuation, names a kind of report, and is neither a numbered heading
    /// nor a subtitle (`——在全县教育工作会议上的报告`).
    static func isTitleLike(_ line: String) -> Bool {
        guard isShortUnpunctuated(line), !isSubtitle(line) else { return false }
        return namesAReport(LineText.trimmed(line)) && HeadingLabel.parse(line) == nil
    }

    /// A line opened by a dash, under a title: `——县教育局局长在全县教育工作会议上的报告`.
    private static func isSubtitle(_ line: String) -> Bool {
        guard let first = LineText.trimmed(line).unicodeScalars.first else { return false }
        return first == "—" || first == "-" || first == "－" || first == "–"
    }

    private static func isShortUnpunctuated(_ line: String) -> Bool {
        guard line.utf8.count <= maxTitleLength * 4 else { return false }
        let text = LineText.trimmed(line)
        return (4...maxTitleLength).contains(text.count) && !text.contains(where: sentencePunctuation.contains)
    }

    /// A title stands apart from its text: a blank line, metadata, a line of site chrome (`发布时间：…`)
    /// or a subtitle follows it.
    private static func isFollowedByBlankOrMetadata(_ i: Int, _ lines: [String], _ metadata: [Int: FurnitureRule],
                                                    _ roles: [LineRole]) -> Bool {
        guard i + 1 < lines.count else { return false }
        if case .furniture = roles[i + 1] { return true }
        return LineText.isBlank(lines[i + 1]) || metadata[i + 1] != nil || isSubtitle(lines[i + 1])
    }

    private static func bareTitle(_ title: String) -> String {
        switch ReportMarker.parse(title) {
        case .titleLine(let bare), .numberedTitle(let bare, _): bare
        default: title
        }
    }

    /// Titles ending in a bare number (`…工作总结1`) mark reports when the page numbers them in
    /// sequence from 1: `…总结1`, `…总结2`, … (a title that does not continue the run is left alone).
    private static func numberedInSequence(_ numbered: [(line: Int, bare: String, number: Int)],
                                           roles: [LineRole]) -> [(line: Int, bare: String, number: Int)] {
        var run: [(line: Int, bare: String, number: Int)] = []
        for title in numbered where roles[title.line] == .beforeFirstReport && title.number == run.count + 1 {
            run.append(title)
        }
        return run.count >= 2 ? run : []
    }

    /// The first of two title lines is the page's own title, not a report, when the second repeats
    /// it (`…工作总结` after `…工作总结-某某网` or after itself) and only a short introduction, no
    /// numbered heading, stands between them.
    private static func isPageTitle(_ titleLines: [Int], _ lines: [String], _ candidates: [Int]) -> Bool {
        guard titleLines.count >= 2 else { return false }
        let (page, report) = (titleLines[0], titleLines[1])
        // The page's title heads the page: at most two lines of text (a breadcrumb, a slogan) above it.
        guard candidates.prefix(while: { $0 < page }).count <= 2 else { return false }
        guard LineText.contains(LineText.trimmed(lines[page]), String(LineText.trimmed(lines[report]))) else { return false }
        let between = candidates.filter { $0 > page && $0 < report }
        return between.count <= 3 && !between.contains { HeadingLabel.parse(lines[$0]) != nil }
    }

    /// A list of report titles at the end of the page, right after a line of site chrome
    /// (`相关推荐`, then a title a line), links to other pages rather than text of the last report.
    private static func markTitleListAtTheEnd(_ lines: [String], _ roles: inout [LineRole], _ candidates: inout [Int]) {
        var i = lines.count - 1
        var list: [Int] = []
        while i >= 0, LineText.isBlank(lines[i]) || (roles[i] == .beforeFirstReport && isTitleLike(lines[i])) {
            if !LineText.isBlank(lines[i]) { list.append(i) }
            i -= 1
        }
        guard !list.isEmpty, i >= 0, case .furniture = roles[i] else { return }
        for line in list { roles[line] = .furniture(rule: "a list of titles after site chrome") }
        let listed = Set(list)
        candidates.removeAll { listed.contains($0) }
    }

    /// "教育局工作总结(通用3篇)" → "教育局工作总结".
    private static func collectionTitle(_ header: String) -> String {
        let text = String(LineText.trimmed(header))
        let pattern = #"\s*([(（][^()（）]*[)）]|[0-9０-９一二三四五六七八九十]+\s*篇\S*|范文|範文)$"#
        let stripped = text.replacingOccurrences(of: pattern, with: "", options: .regularExpression)
        return stripped.isEmpty ? text : stripped
    }

    /// "《县教育局工作总结.docx》" → "县教育局工作总结".
    private static func documentTitle(_ line: String) -> String {
        let text = String(LineText.trimmed(line))
        return text.replacingOccurrences(of: #"^《|\.(?i:doc|docx|pdf|wps|txt)》?$|》$"#, with: "", options: .regularExpression)
    }
}
