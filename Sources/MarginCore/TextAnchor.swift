/// Where an annotation sits in its section's text: the quoted span, some context on each side, and its position.
///
/// Offsets count Unicode scalars from the start of the section text, so every platform and language agrees on them.
public struct TextAnchor: Codable, Hashable, Sendable {
    /// The quoted span, exactly as in the text.
    public var quote: String
    /// Up to ``contextLength`` scalars before the quote.
    public var prefix: String
    /// Up to ``contextLength`` scalars after the quote.
    public var suffix: String
    /// Offset of the first scalar of the quote.
    public var start: Int
    /// Offset just past the last scalar of the quote.
    public var end: Int

    /// How many scalars of context are kept on each side.
    public static let contextLength = 32

    /// Makes an anchor.
    public init(quote: String, prefix: String, suffix: String, start: Int, end: Int) {
        self.quote = quote
        self.prefix = prefix
        self.suffix = suffix
        self.start = start
        self.end = end
    }

    /// Finds a quote in a text and anchors to it.
    ///
    /// - Parameters:
    ///   - occurrence: which occurrence (1-based) to anchor to; required when the quote occurs more than once.
    /// - Throws: ``MarginCoreError`` when the quote is empty or absent, ambiguous, or the occurrence does not exist.
    public static func locate(quote: String, in text: String, occurrence: Int? = nil) throws(MarginCoreError) -> TextAnchor {
        let haystack = Array(text.unicodeScalars)
        let needle = Array(quote.unicodeScalars)
        let starts = occurrences(of: needle, in: haystack)
        guard !needle.isEmpty, !starts.isEmpty else { throw MarginCoreError(.quoteNotFound(quote: quote)) }
        let index: Int
        if let occurrence {
            guard occurrence >= 1, occurrence <= starts.count else {
                throw MarginCoreError(.occurrenceOutOfRange(quote: quote, occurrence: occurrence, occurrences: starts.count))
            }
            index = occurrence - 1
        } else {
            guard starts.count == 1 else { throw MarginCoreError(.quoteAmbiguous(quote: quote, occurrences: starts.count)) }
            index = 0
        }
        let start = starts[index]
        let end = start + needle.count
        let prefixStart = max(0, start - contextLength)
        let suffixEnd = min(haystack.count, end + contextLength)
        return TextAnchor(
            quote: quote,
            prefix: String(String.UnicodeScalarView(haystack[prefixStart..<start])),
            suffix: String(String.UnicodeScalarView(haystack[end..<suffixEnd])),
            start: start, end: end)
    }

    /// Whether the text still holds the quote at the stored position.
    public func matches(_ text: String) -> Bool {
        guard start >= 0, start <= end else { return false }
        // Walks the scalars without copying the text: this runs for every annotation whenever a report changes.
        let span = text.unicodeScalars.dropFirst(start).prefix(end - start)
        return span.count == end - start && span.elementsEqual(quote.unicodeScalars)
    }

    /// Start offsets (in scalars) of every non-overlapping occurrence of `needle`.
    static func occurrences(of needle: [Unicode.Scalar], in haystack: [Unicode.Scalar]) -> [Int] {
        guard !needle.isEmpty, needle.count <= haystack.count else { return [] }
        var result: [Int] = []
        var position = 0
        while position + needle.count <= haystack.count {
            if haystack[position] == needle[0], Array(haystack[position..<(position + needle.count)]) == needle {
                result.append(position)
                position += needle.count
            } else {
                position += 1
            }
        }
        return result
    }
}
