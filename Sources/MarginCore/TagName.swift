import Foundation

/// A tag in its normal form: the one way a tag a person types is written into a store.
///
/// The normal form of what a person typed is:
/// - Unicode NFC (so `é` typed as `e` + combining accent and `é` typed precomposed are one tag);
/// - without surrounding whitespace;
/// - without leading `#` (or full-width `＃`) characters, since listings print tags as `#tag`
///   (`margin tag S '#重点'` makes the tag `重点`, which `show` prints as `#重点`).
///
/// Tags are case-sensitive and keep the case they were typed in: `Funding` and `funding` are two tags. Folding case
/// would rewrite tags that peers already hold (their bytes are hashed into revisions and record identities) and
/// means nothing for Chinese tags; `margin tags rename` merges variants instead.
///
/// A tag that is empty once normalized, or that holds whitespace, a comma, a control character or U+FFFD (the mark
/// of text that was not valid UTF-8), or is longer than ``maximumCharacters`` characters, is refused.
///
/// Only what a person types is normalized: tags in revisions received from peers are kept byte for byte, because
/// their bytes are part of the revision's hash and of the tag record's identity.
public struct TagName: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The tag's text, as stored.
    public let rawValue: String

    /// The longest tag a person may type, in characters.
    public static let maximumCharacters = 64

    /// Wraps a tag as stored, without normalizing it (for tags read from a store or received from a peer).
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// The normal form of a tag as a person typed it.
    /// - Throws: ``Refusal`` when nothing usable is left or the tag holds a character tags cannot hold.
    public init(typed: String) throws(Refusal) {
        let normalized = Self.normalize(typed)
        if let reason = Self.problem(with: normalized) { throw Refusal(typed: typed, reason: reason) }
        self.rawValue = normalized
    }

    /// NFC, trimmed, leading `#` removed (with any spaces among them, so that `# x` is `x`). Does not check the result.
    public static func normalize(_ typed: String) -> String {
        var text = Substring(typed.precomposedStringWithCanonicalMapping)
        text = text.drop { $0.isWhitespace || $0 == "#" || $0 == "＃" }
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        return String(text)
    }

    /// Why a normalized tag cannot be used, or nil when it can.
    static func problem(with tag: String) -> Refusal.Reason? {
        if tag.isEmpty { return .empty }
        if tag.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) { return .controlCharacter }
        if tag.unicodeScalars.contains("\u{FFFD}") { return .replacementCharacter }
        if tag.contains(where: \.isWhitespace) { return .whitespace }
        if tag.contains(where: { $0 == "," || $0 == "，" || $0 == "、" }) { return .comma }
        if tag.count > maximumCharacters || tag.utf8.count > RevisionLimits.maximumTagBytes { return .tooLong }
        return nil
    }

    public var description: String { rawValue }

    public static func < (lhs: TagName, rhs: TagName) -> Bool { lhs.rawValue < rhs.rawValue }

    // Swift compares strings by canonical equivalence; stores compare bytes. Tags are equal when their bytes are.
    public static func == (lhs: TagName, rhs: TagName) -> Bool { lhs.rawValue.utf8.elementsEqual(rhs.rawValue.utf8) }

    public func hash(into hasher: inout Hasher) { hasher.combine(Array(rawValue.utf8)) }

    /// Why a typed tag was refused. Its description is one sentence with a hint.
    public struct Refusal: Error, CustomStringConvertible, Sendable, Equatable {
        /// What is wrong with the tag.
        public enum Reason: Sendable, Equatable {
            /// Nothing is left once whitespace and leading `#` are taken off.
            case empty
            /// It holds a space, a tab or another whitespace character.
            case whitespace
            /// It holds a comma (`,`, `，` or `、`).
            case comma
            /// It holds a control character.
            case controlCharacter
            /// It holds U+FFFD, which stands for bytes that were not valid UTF-8.
            case replacementCharacter
            /// It is longer than ``TagName/maximumCharacters`` characters.
            case tooLong
        }

        /// The tag as typed.
        public let typed: String
        /// What is wrong with it.
        public let reason: Reason

        /// A refusal of a typed tag for a reason.
        public init(typed: String, reason: Reason) {
            self.typed = typed
            self.reason = reason
        }

        public var description: String {
            let shown = "“\(TextRules.printable(typed, limit: 100))” is not a usable tag"
            switch reason {
            case .empty:
                return "\(shown): nothing is left once spaces and leading # are taken off; write a word such as funding or 重点."
            case .whitespace:
                return "\(shown): tags hold no spaces; join the words (early-years) or give each tag as its own argument."
            case .comma:
                return "\(shown): tags hold no commas; give each tag as its own argument."
            case .controlCharacter:
                return "\(shown): it holds a control character; type the tag as plain text."
            case .replacementCharacter:
                return "\(shown): it holds U+FFFD, so the argument was not valid UTF-8; check the terminal's encoding."
            case .tooLong:
                return "\(shown): tags are at most \(TagName.maximumCharacters) characters; choose a shorter tag."
            }
        }
    }
}
