/// The text form of the one-token-per-character index (`section_characters`), and its queries.
enum CharacterIndex {
    /// The text with a space after every character, so the `unicode61` tokenizer sees each letter, digit or
    /// ideograph as its own token (punctuation and spaces are separators and drop out).
    static func spaced(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count * 2)
        for character in text {
            result.append(character)
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
