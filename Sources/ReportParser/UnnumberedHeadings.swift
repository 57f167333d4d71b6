/// Finds top-level headings that carry no number (`前言`, `引言`, `结语`, `结束语`, `总结`) from
/// where they stand, not from a list of words.
///
/// A person takes such a line for a heading when the report's numbered top-level headings stand
/// alone on their lines and the unnumbered one stands the same way at a place only a top-level
/// heading can take: before the first numbered heading, or after the text of the last one. It is a
/// short phrase of letters only (no punctuation, no digits, so not a date or a sentence), the text
/// before it ends a sentence, and a paragraph follows it. A short line elsewhere in the body (a
/// fragment between numbered sections, a signature and date at the end) stays text, and so does
/// the name of a unit (`县教育局` under the title), which is a byline.
///
/// Where every numbered top-level heading is a headline closed by a full stop before its text
/// (`一、学前教育：普惠资源持续扩大。新增…`), the report shows no heading alone on a line to go by; an
/// opening and a closing phrase (`前言` … `结语`) then confirm each other, and one alone stays text.
enum UnnumberedHeadings {
    static let maxLength = 8

    /// Indices of `pieces` (a report's lines, cut at inline headings) that are unnumbered top-level
    /// headings, in order (at most two: an opening and a closing one).
    static func find(in pieces: [(text: String, label: HeadingLabel?)]) -> [Int] {
        guard let first = pieces.firstIndex(where: { $0.label != nil }),
              let last = pieces.lastIndex(where: { $0.label != nil }) else { return [] }
        // Most reports have no candidate at either end; look no further for them.
        let opening = (0..<first).first { isHeading(at: $0, in: pieces) }
        let closing = ((last + 1)..<max(last + 1, pieces.count)).first { isHeading(at: $0, in: pieces) }
        guard opening != nil || closing != nil else { return [] }
        var topKind = HeadingLabel.Kind.parenArabic
        for piece in pieces { if let kind = piece.label?.kind, kind < topKind { topKind = kind } }
        var topCount = 0
        var anyAlone = false
        var allHeadlines = true
        for piece in pieces where piece.label?.kind == topKind {
            topCount += 1
            anyAlone = anyAlone || standsAlone(piece)
            allHeadlines = allHeadlines && isHeadline(piece)
        }
        guard topCount >= 2, anyAlone || (allHeadlines && opening != nil && closing != nil) else { return [] }
        return [opening, closing].compactMap { $0 }
    }

    private static func isHeading(at index: Int, in pieces: [(text: String, label: HeadingLabel?)]) -> Bool {
        guard pieces[index].label == nil, isShortPhrase(pieces[index].text), index + 1 < pieces.count,
              pieces[index + 1].label == nil, isParagraph(pieces[index + 1].text) else { return false }
        return index == 0 || endsSentence(pieces[index - 1].text)
    }

    /// "一、主要成绩" alone on its line (a closing stop allowed), not run into its text.
    private static func standsAlone(_ piece: (text: String, label: HeadingLabel?)) -> Bool {
        guard let label = piece.label, !label.heading.isEmpty else { return false }
        let length = LineText.trimmed(piece.text).unicodeScalars.count
        return length <= label.label.unicodeScalars.count + label.heading.unicodeScalars.count + 3
    }

    /// "一、学前教育：普惠资源持续扩大。新增…": a heading closed by a sentence break, its text after it.
    private static func isHeadline(_ piece: (text: String, label: HeadingLabel?)) -> Bool {
        guard let label = piece.label, !label.heading.isEmpty,
              let range = piece.text.unicodeScalars.firstRange(of: label.heading.unicodeScalars),
              range.upperBound < piece.text.unicodeScalars.endIndex else { return false }
        return LineText.sentenceBreaks.contains(piece.text.unicodeScalars[range.upperBound])
    }

    /// What the name of a unit ends with: a byline under the title (`县教育局`, `城关中学`) or a
    /// signature is not a heading.
    private static let unitEndings: [Character] = ["局", "校", "学", "院", "园", "處", "处", "科", "室", "办", "辦", "会", "會",
                                                   "委", "府", "部", "厅", "廳", "站", "所", "组", "組", "心"]

    private static func isShortPhrase(_ text: String) -> Bool {
        // Bytes first: counting the characters of a long paragraph would break it into graphemes.
        guard text.utf8.count <= maxLength * 4 + 40 else { return false }
        let phrase = LineText.trimmed(text)
        guard phrase.utf8.count <= maxLength * 4, (2...maxLength).contains(phrase.count), phrase.allSatisfy(\.isLetter) else {
            return false
        }
        return !unitEndings.contains(phrase.last!)
    }

    private static func isParagraph(_ text: String) -> Bool {
        let paragraph = LineText.trimmed(text)
        return paragraph.unicodeScalars.count >= 10 && paragraph.unicodeScalars.contains(where: LineText.sentencePunctuation.contains)
    }

    private static func endsSentence(_ text: String) -> Bool {
        guard let last = LineText.trimmed(text).unicodeScalars.last else { return true }
        return "。！？!?；;：:…”」』".unicodeScalars.contains(last)
    }
}
