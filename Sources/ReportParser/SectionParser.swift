/// Groups a report's body lines into a flat, ordered list of sections.
///
/// Numbering continuity decides what is a heading:
/// - a label at a line start is a heading, except a top-level `一、` (or `第一部分`) that would
///   restart the numbering while the sequence goes on: after `一、 … 二、`, a `一、` followed by
///   `三、` is text, and only one followed by `二、` starts a new outline;
/// - a label inside a line, after a sentence end, is a heading when it continues the numbering
///   (`…的敬意! 二、当前形势…` after `一、`) or opens the first child of the deepest heading
///   (`…态势。（一）办学条件…` under `一、`), so a heading the page ran into the previous
///   paragraph still starts its own section;
/// - in a document flattened onto a few lines (`FlattenedText`), a label after a space counts too,
///   and may open the first child of the current heading (`一、主要工作 （一）…`).
///
/// A WeChat article's badges (`01` over its heading) are its top-level headings (`BadgeNumbers`).
///
/// Top-level parts without a number come from where they stand: `前言` and `结语` (`UnnumberedHeadings`),
/// and the attachments after the last top-level section (`Attachments`).
enum SectionParser {
    /// `lines` are the report's body lines (no blanks, furniture or title).
    static func sections(from lines: [String]) -> [ParsedSection] {
        var lines = lines
        var lineLabels = lines.map { HeadingLabel.parse($0) }
        if let unchunked = ChunkNumbers.stripped(lines, labels: lineLabels) {
            lines = unchunked
            lineLabels = lines.map { HeadingLabel.parse($0) }
        }
        if let badged = BadgeNumbers.joined(lines, labels: lineLabels) { (lines, lineLabels) = badged }
        lineLabels = DecimalChapters.labelled(lines, labels: lineLabels)
        let brackets = BracketLevels(labels: lineLabels)
        lineLabels = lineLabels.map { $0.map(brackets.apply) }
        // A whole document on at most four lines: over 400 characters in all, or a short one holding its outline.
        let flattened = lines.count <= 4
            && (lines.reduce(0) { $0 + $1.unicodeScalars.count } > FlattenedText.longLine || lines.contains(where: FlattenedText.holdsOutline))
        var numbering = Numbering()
        var pieces: [(text: String, label: HeadingLabel?)] = []
        var listItems: Set<Int> = []
        for (index, line) in lines.enumerated() {
            var label = lineLabels[index]
            if let start = label, numbering.restarts(start), index > 0 {
                listItems.formUnion(ListInItem.items(startingAt: index, in: lines, labels: lineLabels))
            }
            if listItems.contains(index) { label = nil }
            if let start = label, !numbering.acceptsAtLineStart(start, followedBy: lineLabels[(index + 1)...]) { label = nil }
            if let label { numbering.accept(label) }
            split(line, label: label, flattened: flattened, brackets: brackets, laterLabels: lineLabels[(index + 1)...],
                  numbering: &numbering, into: &pieces)
        }
        let attachments = Attachments.start(in: pieces)
        let unnumbered = UnnumberedHeadings.find(in: pieces).filter { index in attachments.map { index < $0 } ?? true }

        // Parts (第一部分/第一章, 第一节), articles (第一条), Roman numerals (Ⅰ、), formal numerals (壹、) and formal
        // numerals in brackets (（壹）) take the top levels, in that order, when a report has them.
        let kinds = Set(pieces.compactMap { $0.label?.kind })
        let upperKinds = [HeadingLabel.Kind.part, .subpart, .article, .roman, .formal, .parenFormal].filter(kinds.contains)
        func level(_ label: HeadingLabel) -> Int {
            upperKinds.firstIndex(of: label.kind).map { $0 + 1 } ?? label.level + upperKinds.count
        }

        var sections = [ParsedSection(level: 0, label: "", heading: "", text: "", parentIndex: nil)]
        var sectionLabels: [HeadingLabel?] = [nil]
        var texts: [[String]] = [[]]
        for (index, (text, label)) in pieces.enumerated() {
            if let attachments, index >= attachments {
                // The attachments are the report's last part; their own lists and numbers are their text.
                if index == attachments {
                    let heading = Attachments.heading(of: text) ?? ""
                    sections.append(ParsedSection(level: 1, label: "", heading: heading, text: "", parentIndex: 0))
                    sectionLabels.append(nil)
                    texts.append([text])
                } else {
                    texts[texts.count - 1].append(text)
                }
            } else if unnumbered.contains(index) {
                let heading = String(LineText.trimmed(text))
                sections.append(ParsedSection(level: 1, label: "", heading: heading, text: "", parentIndex: 0))
                sectionLabels.append(nil)
                texts.append([text])
            } else if let label {
                let level = label.kind == .decimal
                    ? decimalLevel(label, sections: sections, labels: sectionLabels, top: upperKinds.count + 1) : level(label)
                let parent = sections.lastIndex(where: { $0.level < level }) ?? 0
                sections.append(ParsedSection(level: level, label: label.label, heading: label.heading, text: "", parentIndex: parent))
                sectionLabels.append(label)
                texts.append([text])
            } else {
                texts[texts.count - 1].append(text)
            }
        }
        for index in sections.indices {
            sections[index].text = texts[index].joined(separator: "\n")
        }
        return sections
    }

    /// A decimal number's level, from the document's order: a decimal's level is its sibling's (`1.2` beside `1.1`),
    /// else one below the heading it continues (`1.1.1` below `1.1`, `2.1` below the last heading numbered 2: `二、`,
    /// `2.`, `（二）` or the chapter line `2 标题`), else its depth counted from the top level `top` (`1.1` at the top of an
    /// outline that has no chapter lines).
    private static func decimalLevel(_ label: HeadingLabel, sections: [ParsedSection], labels: [HeadingLabel?], top: Int) -> Int {
        let path = label.path
        if path.count == 1 { return top }
        let sibling = labels.lastIndex { other in
            other.map { $0.kind == .decimal && $0.path.count == path.count && $0.path.dropLast() == path.dropLast() } ?? false
        }
        if let sibling { return sections[sibling].level }
        // Where the outline has begun, `2.1` goes under a heading above its `1.1`, not under a `（2）` item in `1.3`.
        let cousin = labels.lastIndex { $0.map { $0.kind == .decimal && $0.path.count == path.count } ?? false }
        let parent = labels.indices.last { index in
            guard let other = labels[index] else { return false }
            if other.kind == .decimal { return other.path == Array(path.dropLast()) }
            return path.count == 2 && other.number == path[0] && (cousin.map { sections[index].level < sections[$0].level } ?? true)
        }
        if let parent { return sections[parent].level + 1 }
        if let cousin { return sections[cousin].level }
        return top + path.count - 2
    }

    /// Cuts `line` before every inline label that continues the numbering.
    private static func split(_ line: String, label: HeadingLabel?, flattened: Bool, brackets: BracketLevels,
                              laterLabels: ArraySlice<HeadingLabel?>,
                              numbering: inout Numbering, into pieces: inout [(text: String, label: HeadingLabel?)]) {
        let s = Array(line.unicodeScalars)
        // Scan after the line's own label: it is the piece's content, not a boundary.
        let labelStart = s.firstIndex(where: { !isSpace($0) }) ?? s.count
        let scanFrom = labelStart + (label.map { $0.label.unicodeScalars.count } ?? 1)
        // Worked out only when a label may start after a gap (most lines have none).
        var afterHeadingFound: Int?? = label == nil ? .some(nil) : nil
        func afterHeading() -> Int? {
            if let found = afterHeadingFound { return found }
            let found = textAfterHeading(label!, in: s, from: labelStart)
            afterHeadingFound = .some(found)
            return found
        }
        var candidates: [(position: Int, label: HeadingLabel)] = []
        var i = scanFrom
        while i < s.count {
            if HeadingLabel.mayStartLabel(s[i]), isBoundary(before: i, in: s, from: 0, flattened: flattened) || i == afterHeading(),
               let inline = HeadingLabel.parse(scalars: s[i..<min(s.count, i + 200)]).map(brackets.apply),
               !inline.kind.headsOnlyALine {
                candidates.append((i, inline))
                i += inline.label.unicodeScalars.count
            } else {
                i += 1
            }
        }
        var pieceStart = 0
        var pieceLabel = label
        for (index, candidate) in candidates.enumerated() where candidate.position > pieceStart {
            let inline = candidate.label
            var accepted = numbering.continues(inline) || numbering.opensFirstChild(inline)
            // "…如下。1.1 …" before any heading: a decimal opens an outline inside a paragraph only in flattened text.
            if inline.kind == .decimal, numbering.isEmpty, !flattened { accepted = false }
            if candidate.position == afterHeading() {
                // "第二部分 重点任务 一、推进…": a label right after the line's own heading opens its first child.
                accepted = numbering.opensChild(inline)
            } else if !accepted, inline.number == 1, numbering.isEmpty ? inline.kind <= .parenChinese : numbering.opensChild(inline) {
                // When the next label at its level or above is its 2: an outline that starts inside a
                // paragraph ("…如下。 一、深入调研 … 二、组织竞赛"), or a level that opens under the deepest
                // heading and goes on at a line start ("一、常规管理 …。1.备课检查。…" then "2.作业检查");
                // "…。(1)… 。(2)…" inside one paragraph under a heading is a list in the text.
                let inLine = candidates[(index + 1)...].first { $0.label.kind <= inline.kind }?.label
                let next = inLine ?? laterLabels.lazy.compactMap { $0 }.first { $0.kind <= inline.kind }
                let isTwo = next.map { $0.kind == inline.kind && $0.number == 2 } ?? false
                accepted = isTwo && (numbering.isEmpty || inLine == nil)
            }
            if flattened && !accepted {
                // A flattened page may begin mid-document ("（九）… （十）… 五、… 六、"), skip a number
                // or repeat one ("（一）… （三）… （三）… （四）"); a label that the next label of its
                // kind repeats or continues is believed.
                let next = candidates[(index + 1)...].first { $0.label.kind == inline.kind }?.label
                let confirmed = next.map { $0.number == inline.number + 1 || $0.number == inline.number } ?? false
                accepted = numbering.opensChild(inline) || (confirmed && numbering.mayStartAt(inline))
            }
            guard accepted else { continue }
            pieces.append(piece(trimmedTrailing(s[pieceStart..<candidate.position]), pieceLabel))
            numbering.accept(inline)
            pieceStart = candidate.position
            pieceLabel = inline
        }
        pieces.append(piece(pieceStart == 0 ? line : string(s[pieceStart...]), pieceLabel))
    }

    /// Where the text after a line's own heading starts, when a gap ends the heading
    /// ("第二部分 重点任务 一、…" → the position of "一、"); nil otherwise.
    private static func textAfterHeading(_ label: HeadingLabel, in s: [Unicode.Scalar], from start: Int) -> Int? {
        guard !label.heading.isEmpty else { return nil }
        var i = start + label.label.unicodeScalars.count
        while i < s.count, isSpace(s[i]) || labelSeparators.contains(s[i]) { i += 1 }
        for c in label.heading.unicodeScalars {
            guard i < s.count, s[i] == c else { return nil }
            i += 1
        }
        guard i < s.count, isSpace(s[i]) else { return nil }
        while i < s.count, isSpace(s[i]) { i += 1 }
        return i < s.count ? i : nil
    }

    /// A heading ends where its piece ends: "一、主要工作 （一）…" cut before （一） is headed "主要工作".
    private static func piece(_ text: String, _ label: HeadingLabel?) -> (text: String, label: HeadingLabel?) {
        guard var label, let own = HeadingLabel.parse(text) else { return (text, label) }
        label.heading = own.heading
        return (text, label)
    }

    /// A sentence end (optionally closed by a quote) before `i`, spaces allowed between; in a
    /// flattened document a space alone is enough.
    private static func isBoundary(before i: Int, in s: [Unicode.Scalar], from start: Int, flattened: Bool) -> Bool {
        var j = i - 1
        var sawSpace = false
        while j > start, isSpace(s[j]) { j -= 1; sawSpace = true }
        guard j > start else { return false }
        if LineText.sentenceEnds.contains(s[j]) { return true }
        if LineText.closingQuotes.contains(s[j]), LineText.sentenceEnds.contains(s[j - 1]) { return true }
        return flattened && sawSpace
    }

    private static func isSpace(_ c: Unicode.Scalar) -> Bool { c.properties.isWhitespace }

    private static let labelSeparators = Set("：:、.．—-".unicodeScalars)

    private static func string(_ s: ArraySlice<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: s)
        return String(view)
    }

    private static func trimmedTrailing(_ s: ArraySlice<Unicode.Scalar>) -> String {
        var end = s.endIndex
        while end > s.startIndex, isSpace(s[end - 1]) { end -= 1 }
        return string(s[s.startIndex..<end])
    }
}
