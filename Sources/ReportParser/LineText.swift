/// Whitespace handling shared by the parser stages.
///
/// `Character.isWhitespace` follows Unicode White_Space, so U+00A0 and the
/// ideographic space U+3000 (common in scraped Chinese pages) count as
/// whitespace for detection, while the stored text keeps them verbatim.
enum LineText {
    /// Splits normalised text (only `\n` line breaks) into lines with trailing
    /// whitespace removed.
    static func lines(of text: String) -> [String] {
        // Splitting the UTF-8 view skips grapheme breaking, which is costly on long paragraphs.
        text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { trimTrailing(Substring($0)) }
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

    /// `text` for a title, label or heading, which hold no control character: a tab (between a table row's cells)
    /// or another C0 control (a form feed in a text file) becomes a space. A section's text keeps its tabs.
    static func singleLine(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 < 0x20 }) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 0x20 ? " " : $0 }))
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

extension LineText {
    /// Literal substring test on UTF-8 bytes. UTF-8 is self-synchronising, so a
    /// byte match is always a match of whole scalars; this avoids Foundation's
    /// locale-aware `contains`, which dominated parse time.
    static func contains(_ haystack: some StringProtocol, _ needle: String) -> Bool {
        var needle = needle
        return needle.withUTF8 { n in
            func search(_ h: UnsafeBufferPointer<UInt8>) -> Bool {
                guard let first = n.first else { return true }
                guard h.count >= n.count else { return false }
                var i = 0
                let last = h.count - n.count
                while i <= last {
                    if h[i] == first {
                        var j = 1
                        while j < n.count, h[i + j] == n[j] { j += 1 }
                        if j == n.count { return true }
                    }
                    i += 1
                }
                return false
            }
            // Native strings and their substrings are contiguous: no copy of the line per phrase.
            if let found = haystack.utf8.withContiguousStorageIfAvailable(search) { return found }
            return Array(haystack.utf8).withUnsafeBufferPointer(search)
        }
    }

    /// Byte-wise prefix test (no Unicode normalisation, which scraped text does not need).
    static func hasPrefix(_ text: some StringProtocol, _ prefix: String) -> Bool {
        text.utf8.starts(with: prefix.utf8)
    }

    /// Byte-wise equality.
    static func same(_ a: some StringProtocol, _ b: some StringProtocol) -> Bool {
        a.utf8.elementsEqual(b.utf8)
    }

    /// Marks that end a sentence: `。！？!?`.
    static let sentenceEnds = Set("。！？!?".unicodeScalars)
    /// Marks that end a heading run into its text: `。；;！!？?`.
    static let sentenceBreaks = Set("。；;！!？?".unicodeScalars)
    /// Punctuation inside or ending a sentence: `。，,；;！!？?`.
    static let sentencePunctuation = Set("。，,；;！!？?".unicodeScalars)
    /// Closing quotes that may follow a sentence end: `”」』"`.
    static let closingQuotes = Set("”」』\"".unicodeScalars)
}
