/// The text form of the one-token-per-character index (`section_characters`), and its queries.
enum CharacterIndex {
    /// Stands for every character that is not a letter or a number (punctuation, spaces, line breaks, symbols):
    /// a private-use character, which `unicode61` keeps as a token, so a separator still sits between its
    /// neighbours and `"师 资"` matches `师资` but not `师，资`.
    static let separator: Character = "\u{E000}"

    /// The text with a space after every character, so the `unicode61` tokenizer sees each letter, digit or
    /// ideograph as its own token; every other character becomes ``separator``.
    static func spaced(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count * 2)
        for character in text {
            result.append(character.isLetter || character.isNumber ? character : separator)
            result.append(" ")
        }
        return result
    }

    /// The FTS5 phrase that matches the query's characters side by side, or nil when the query holds characters
    /// the index does not keep (punctuation, spaces, symbols): those queries need the exact substring scan.
    static func phrase(_ query: String) -> String? {
        guard !query.isEmpty, query.allSatisfy({ $0.isLetter || $0.isNumber }) else { return nil }
        return "\"" + spaced(query).dropLast() + "\""
    }
}
