/// A string identity. Encodes as a plain JSON string (the standard library's `RawRepresentable` coding), orders
/// and prints as its raw value.
public protocol StringIdentifier: RawRepresentable<String>, Hashable, Comparable, Codable, Sendable,
    CustomStringConvertible
{
    init(rawValue: String)
}

extension StringIdentifier {
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { rawValue }
}

/// The identity of a peer: one store, on one machine. Every revision names the peer that made it.
public struct PeerID: StringIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// A fresh random peer identity (16 lowercase hex digits).
    public static func random() -> PeerID {
        var generator = SystemRandomNumberGenerator()
        let value = generator.next() as UInt64
        let hex = String(value, radix: 16)
        return PeerID(rawValue: String(repeating: "0", count: 16 - hex.count) + hex)
    }
}

/// The stable identity of a record (a report, an annotation or a section's tag), shared by all its revisions.
public struct RecordID: StringIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}

/// The identity of a section inside a report. Stable across re-imports while the section's heading is unchanged.
public struct SectionID: StringIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}

/// The identity of one revision: the SHA-256 content hash of the revision (see ``RevisionHasher``).
public struct RevisionID: StringIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}

/// What a record is. The kind decides how its body is decoded and how concurrent revisions merge.
///
/// The set is open: a newer peer may send kinds this one does not know. Such revisions are validated for their
/// envelope (see ``RevisionValidator``), stored and forwarded verbatim, and never materialized; ``isKnown`` tells
/// them apart. Known kinds match with `case .report:` in a `switch`, which then needs a `default:` for the others.
public struct RecordKind: RawRepresentable, Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// A parsed report with its tree of sections.
    public static let report = RecordKind(rawValue: "report")
    /// A note a person attached to a section, optionally anchored to a quoted span.
    public static let annotation = RecordKind(rawValue: "annotation")
    /// One tag on one section; concurrent add and remove merge with add-wins semantics.
    public static let tag = RecordKind(rawValue: "tag")

    /// The kinds this version understands.
    public static let known: [RecordKind] = [.report, .annotation, .tag]

    /// True for a kind this version understands and materializes.
    public var isKnown: Bool { Self.known.contains(self) }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
