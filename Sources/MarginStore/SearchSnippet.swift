import Foundation

/// A short excerpt of matched text, cut around its first match so that a reader can mark the match: reverse
/// video on a terminal, brackets elsewhere.
public struct SearchSnippet: Sendable, Codable, Equatable {
    /// The text before the match, with `…` in front when the excerpt starts later than the text.
    public var before: String
    /// The matched text itself; empty when the excerpt holds no match.
    public var match: String
    /// The text after the match, with `…` at the end when the text goes on.
    public var after: String

    /// Makes an excerpt from its three parts.
    public init(before: String, match: String, after: String) {
        self.before = before
        self.match = match
        self.after = after
    }

    /// The excerpt as plain text, unmarked.
    public var text: String { before + match + after }

    /// The excerpt with the match between `open` and `close`, e.g. `"["` and `"]"`, or reverse-video escapes.
    public func marked(_ open: String, _ close: String) -> String {
        match.isEmpty ? text : before + open + match + close + after
    }
}

extension SearchSnippet {
    /// The excerpt around the first match of `query` in `text` (`context` characters each side, on one line), or
    /// the start of the text when it does not contain the query (the match was in the heading).
    static func around(_ query: String, in text: String, context: Int = 24) -> SearchSnippet {
        // The indexes fold case, so the match shown may differ in case from the query.
        guard !query.isEmpty, let range = text.range(of: query) ?? text.range(of: query, options: .caseInsensitive)
        else {
            let head = text.prefix(context * 2)
            return SearchSnippet(before: flat(head) + (head.endIndex < text.endIndex ? "…" : ""), match: "", after: "")
        }
        // Only the window around the match is copied and flattened, never the whole section text.
        let start = text.index(range.lowerBound, offsetBy: -context, limitedBy: text.startIndex) ?? text.startIndex
        let end = text.index(range.upperBound, offsetBy: context, limitedBy: text.endIndex) ?? text.endIndex
        return SearchSnippet(
            before: (start > text.startIndex ? "…" : "") + flat(text[start..<range.lowerBound]),
            match: flat(text[range]),
            after: flat(text[range.upperBound..<end]) + (end < text.endIndex ? "…" : ""))
    }

    private static func flat(_ text: Substring) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }
}
