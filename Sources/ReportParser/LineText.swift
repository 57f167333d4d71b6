/// Whitespace handling shared by the parser stages.
///
/// `Character.isWhitespace` follows Unicode White_Space, so U+00A0 and the
/// ideographic space U+3000 (common in scraped Chinese pages) count as
/// whitespace for detection, while the stored text keeps them verbatim.
enum LineText {
    /// Splits normalised text (only `\n` line breaks) into lines with trailing
    /// whitespace removed.
    static func lines(of text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { trimTrailing($0) }
    }

    static func trimTrailing(_ line: Substring) -> String {
        var end = line.endIndex
        while end > line.startIndex {
            let before = line.index(before: end)
            guard line[before].isWhitespace else { break }
            end = before
        }
        return String(line[..<end])
    }

    static func trimmed(_ line: some StringProtocol) -> Substring {
        let sub = Substring(line)
        guard let first = sub.firstIndex(where: { !$0.isWhitespace }) else { return sub[sub.endIndex...] }
        let last = sub.lastIndex(where: { !$0.isWhitespace })!
        return sub[first...last]
    }

    static func isBlank(_ line: some StringProtocol) -> Bool {
        line.allSatisfy(\.isWhitespace)
    }
}
