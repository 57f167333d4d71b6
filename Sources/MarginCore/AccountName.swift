/// The name of an account on a sync server, e.g. `li.wei` or `lab-laptop`.
///
/// A name is 1 to 64 characters of `a`–`z`, `0`–`9`, `.`, `_` and `-`, starting with a letter or a digit: it appears
/// in logs and listings, and is typed on command lines, so it has one spelling and never looks like an option.
public struct AccountName: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The name as stored.
    public let rawValue: String

    /// The longest name, in characters.
    public static let maximumLength = 64

    /// The rule, in words, for messages.
    public static let rule =
        "an account name is 1 to 64 characters of a-z, 0-9, “.”, “_” and “-”, starting with a letter or a digit"

    /// Wraps a name as stored, without checking it (for names read from a store).
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// A name as a person typed it, or nil when it breaks ``rule``.
    public init?(typed: String) {
        guard Self.isValid(typed) else { return nil }
        self.rawValue = typed
    }

    /// True when `name` follows ``rule``.
    public static func isValid(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        func allowed(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        guard let first = bytes.first, allowed(first), bytes.count <= maximumLength else { return false }
        return bytes.allSatisfy { allowed($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    public var description: String { rawValue }

    public static func < (lhs: AccountName, rhs: AccountName) -> Bool { lhs.rawValue < rhs.rawValue }
}
