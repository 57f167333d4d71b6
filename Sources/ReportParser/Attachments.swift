/// A report's attachments at its end: a line that opens them (`附件：1.重点项目清单`, `附件1`, `附表：…`) after
/// the text of the last top-level section, and everything after it (the list of attachments, the attached tables
/// and their rows). They are a part of their own, the report's last, not text of its last numbered section.
enum Attachments {
    /// The longest line that opens the attachments, in characters.
    static let maxOpeningLength = 60
    /// What an opening line starts with.
    static let openingWords = ["附件", "附表"]

    /// The index of the piece that opens the attachments: the first attachment line after the last top-level
    /// heading; nil when there is none.
    static func start(in pieces: [(text: String, label: HeadingLabel?)]) -> Int? {
        guard let topKind = pieces.compactMap({ $0.label?.kind }).min(),
              let lastTop = pieces.lastIndex(where: { $0.label?.kind == topKind }) else { return nil }
        return pieces.indices.dropFirst(lastTop + 1).first { pieces[$0].label == nil && opensAttachments(pieces[$0].text) }
    }

    /// `附件` or `附表`, with a number or not (`附件1`, `附件二`), alone or before a colon, a space or a list.
    static func opensAttachments(_ line: String) -> Bool {
        heading(of: line) != nil
    }

    /// The heading of the attachments' part: the opening line's word and number (`附件`, `附件1`).
    static func heading(of line: String) -> String? {
        guard line.utf8.count <= maxOpeningLength * 4 else { return nil }
        let text = LineText.trimmed(line)
        guard text.count <= maxOpeningLength, let word = openingWords.first(where: { text.hasPrefix($0) }) else { return nil }
        let afterWord = text.dropFirst(word.count)
        let number = afterWord.prefix { $0.isNumber || "一二三四五六七八九十".contains($0) }
        let rest = afterWord.dropFirst(number.count)
        guard rest.isEmpty || rest.first.map({ $0 == "：" || $0 == ":" || $0.isWhitespace }) == true else { return nil }
        return word + number
    }
}
