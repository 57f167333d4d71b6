/// The text form of the one-token-per-character index (`section_characters`), and its queries.
///
/// Every character of a section is one token, in order, so a query is a phrase of adjacent tokens. Letters and
/// numbers are themselves (the index folds their case, as the trigram index it replaced did, and keeps their
/// diacritics); every other character becomes a private-use character of its own (``separator(for:)``), so that
/// punctuation and spaces must match exactly and `"师 资"` matches `师资` but not `师，资`.
enum CharacterIndex {
    /// Stands for a character that is not a letter or a number and has no private-use character of its own (a
    /// cluster of several scalars, such as CR LF or an emoji sequence, or a scalar above plane 1). A query holding
    /// it cannot be answered by the index alone (see ``exactPhrase(_:)``).
    static let separator: Character = "\u{E000}"

    /// The token for a character that is not a letter or a number: a private-use character standing for that one
    /// scalar (plane 15 for the basic plane, plane 16 for plane 1), which `unicode61` keeps as a token (category
    /// Co); ``separator`` for anything else. Distinct characters get distinct tokens.
    static func separator(for character: Character) -> Character {
        let scalars = character.unicodeScalars
        guard scalars.count == 1, let token = separatorScalar(for: scalars.first!.value) else { return separator }
        return Character(token)
    }

    /// The private-use scalar standing for the scalar `value`, or nil when there is none.
    private static func separatorScalar(for value: UInt32) -> Unicode.Scalar? {
        switch value {
        case 0...0xFFFD: return Unicode.Scalar(0xF0000 + value)
        case 0x10000...0x1FFFD: return Unicode.Scalar(0x100000 + value - 0x10000)
        default: return nil
        }
    }

    /// The text with a space after every character, so the `unicode61` tokenizer sees each letter, digit or
    /// ideograph as its own token; every other character becomes its ``separator(for:)``.
    ///
    /// Every section's text passes through here on import, so text made only of scalars that are each a whole
    /// character (ASCII, CJK ideographs and punctuation, fullwidth forms: the whole of most reports) takes a path
    /// over UTF-8 bytes that gives the same result as walking its `Character`s.
    static func spaced(_ text: String) -> String {
        var text = text
        if let fast = text.withUTF8({ spacedSingleScalarCharacters($0) }) { return fast }
        return spacedByCharacter(text)
    }

    /// The definition of ``spaced(_:)``: each `Character` judged by `isLetter`/`isNumber`.
    static func spacedByCharacter(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count * 2)
        for character in text {
            result.append(character.isLetter || character.isNumber ? character : separator(for: character))
            result.append(" ")
        }
        return result
    }

    /// ``spaced(_:)`` for UTF-8 whose every scalar is a character of its own, or nil when a scalar might join its
    /// neighbour into one character (combining marks, joiners, CR before LF, Hangul jamo, emoji …).
    private static func spacedSingleScalarCharacters(_ utf8: UnsafeBufferPointer<UInt8>) -> String? {
        var output: [UInt8] = []
        output.reserveCapacity(utf8.count * 2)
        var index = 0
        while index < utf8.count {
            let lead = utf8[index]
            if lead < 0x80 {
                // ASCII: CR may pair with LF, the only ASCII scalar that joins a neighbour.
                if lead == 0x0D { return nil }
                if (lead >= 0x30 && lead <= 0x39) || (lead | 0x20 >= 0x61 && lead | 0x20 <= 0x7A) {
                    output.append(lead)
                } else {
                    appendSeparator(for: UInt32(lead), to: &output)
                }
                output.append(0x20)
                index += 1
                continue
            }
            let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
            guard index + length <= utf8.count else { return nil }
            var value = UInt32(lead) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
            for offset in 1..<length { value = value << 6 | UInt32(utf8[index + offset] & 0x3F) }
            guard isSingleScalarCharacter(value), let scalar = Unicode.Scalar(value) else { return nil }
            if isIdeograph(value) || scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                output.append(contentsOf: utf8[index..<(index + length)])
            } else {
                appendSeparator(for: value, to: &output)
            }
            output.append(0x20)
            index += length
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends the UTF-8 of ``separator(for:)`` of a basic-plane scalar: four bytes of plane 15.
    private static func appendSeparator(for value: UInt32, to output: inout [UInt8]) {
        guard value <= 0xFFFD else {
            output.append(contentsOf: [0xEE, 0x80, 0x80])  // U+E000
            return
        }
        let token = 0xF0000 + value
        output.append(0xF0 | UInt8(token >> 18))
        output.append(0x80 | UInt8((token >> 12) & 0x3F))
        output.append(0x80 | UInt8((token >> 6) & 0x3F))
        output.append(0x80 | UInt8(token & 0x3F))
    }

    /// CJK unified ideographs (and extension A): letters, each a character of its own.
    private static func isIdeograph(_ value: UInt32) -> Bool {
        (0x4E00...0x9FFF).contains(value) || (0x3400...0x4DBF).contains(value)
    }

    /// Scalars that never join a neighbour into one grapheme cluster, either way (no Extend, SpacingMark,
    /// Prepend, ZWJ, Hangul or regional-indicator scalar is among them).
    private static func isSingleScalarCharacter(_ value: UInt32) -> Bool {
        switch value {
        case 0xA0...0x2FF: return value != 0xAD  // Latin-1 and Latin extended letters; not the soft hyphen
        case 0x2010...0x2027, 0x2030...0x205E: return true  // general punctuation, without joiners and controls
        case 0x3000...0x3029, 0x3030...0x3098, 0x309B...0x30FF: return true  // CJK punctuation and kana, no marks
        case 0x3400...0x4DBF, 0x4E00...0x9FFF: return true  // ideographs
        case 0xFF01...0xFF9D, 0xFFE0...0xFFEE: return true  // fullwidth forms, no halfwidth sound marks
        default: return false
        }
    }

    /// The FTS5 phrase that matches the query's characters side by side, or nil when the query holds characters
    /// that are not letters or numbers: a query of one or two characters keeps to the exact substring scan for
    /// those, as it did before separators had tokens of their own.
    static func phrase(_ query: String) -> String? {
        guard !query.isEmpty, query.allSatisfy({ $0.isLetter || $0.isNumber }) else { return nil }
        return "\"" + spaced(query).dropLast() + "\""
    }

    /// The FTS5 phrase that matches exactly the texts holding the query, up to the case of its letters, or nil when
    /// the query holds a character whose token stands for others too (``separator``). Punctuation and spaces are
    /// tokens of their own, so they match only themselves; a double quote becomes a private-use token and cannot
    /// end the phrase.
    static func exactPhrase(_ query: String) -> String? {
        let spaced = spaced(query)
        guard !query.isEmpty, !spaced.contains(separator) else { return nil }
        return "\"" + spaced.dropLast() + "\""
    }
}
