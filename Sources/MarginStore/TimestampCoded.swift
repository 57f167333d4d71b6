/// A time kept in Swift as milliseconds since 1970 and written in JSON as a ``Timestamp``: an ISO 8601 UTC string
/// such as `2026-11-25T21:49:42.123Z`. Decoding also accepts a number of milliseconds.
///
/// It lets a read model keep `Int64` times for its callers while its JSON follows the one convention for times.
@propertyWrapper
public struct TimestampCoded: Sendable, Hashable, Codable {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public var wrappedValue: Int64

    /// Wraps milliseconds since 1970.
    public init(wrappedValue: Int64) {
        self.wrappedValue = wrappedValue
    }

    public init(from decoder: any Decoder) throws {
        wrappedValue = try Timestamp(from: decoder).milliseconds
    }

    public func encode(to encoder: any Encoder) throws {
        try Timestamp(milliseconds: wrappedValue).encode(to: encoder)
    }
}
