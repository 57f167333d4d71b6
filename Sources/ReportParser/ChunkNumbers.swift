/// Document-preview sites number the chunks they cut a document into (`1、`, `2、`, … at line
/// starts). Those numbers are not headings, and the structure shows it: they run on across the
/// document's own headings instead of restarting under them, a chunk may begin with a heading of
/// its own (`3、二、主要做法`), and a chunk may begin in the middle of a sentence.
enum ChunkNumbers {
    /// `lines` with chunk numbers removed when the report's lines are numbered as chunks; else nil.
    /// `labels` are the lines' own labels (`HeadingLabel.parse` of each line).
    static func stripped(_ lines: [String], labels: [HeadingLabel?]) -> [String]? {
        let chunks = labels.indices.filter { labels[$0]?.kind == .arabic && labels[$0]!.label.hasSuffix("、") }
        // Most lines are chunks, numbered one after another.
        guard chunks.count >= 3, chunks.count * 5 >= lines.count * 3 else { return nil }
        let numbers = chunks.map { labels[$0]!.number }
        guard zip(numbers, numbers.dropFirst()).allSatisfy({ $1 == $0 + 1 }) else { return nil }

        let rests = chunks.map { remainder(of: lines[$0], after: labels[$0]!) }
        let headingInside = rests.contains { rest in HeadingLabel.parse(rest).map { $0.kind != .arabic } ?? false }
        let chunkSet = Set(chunks)
        let headingBetween = (chunks.first!..<chunks.last!).contains { !chunkSet.contains($0) && (labels[$0].map { $0.kind < .arabic } ?? false) }
        let startsMidSentence = chunks.contains { index in
            // Only a long chunk can end mid-sentence; a short unpunctuated line is a heading.
            guard index > 0, labels[index - 1] == nil || chunkSet.contains(index - 1),
                  lines[index - 1].unicodeScalars.count > 60 else { return false }
            guard let last = lines[index - 1].unicodeScalars.last(where: { !$0.properties.isWhitespace }) else { return false }
            return !"。！？!?；;：:”」』)）…".unicodeScalars.contains(last)
        }
        guard headingInside || headingBetween || startsMidSentence else { return nil }

        var result = lines
        for (index, rest) in zip(chunks, rests) { result[index] = rest }
        return result
    }

    private static func remainder(of line: String, after label: HeadingLabel) -> String {
        let scalars = line.unicodeScalars.drop(while: { $0.properties.isWhitespace })
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars.dropFirst(label.label.unicodeScalars.count).drop(while: { $0.properties.isWhitespace }))
        return String(view)
    }
}
