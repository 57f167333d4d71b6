import Foundation

/// A moment as the store keeps it (milliseconds since 1970, UTC), written in JSON as an ISO 8601 UTC string with
/// milliseconds, e.g. `2026-11-25T21:49:42.123Z`.
///
/// Every `--json` output uses this one form for times. Decoding also accepts a number of milliseconds.
public struct Timestamp: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public var milliseconds: Int64

    /// A timestamp from milliseconds since 1970.
    public init(milliseconds: Int64) {
        self.milliseconds = milliseconds
    }

    /// A timestamp from a date, to the nearest millisecond (not truncated: a parsed `.123` is a `Double` just
    /// below 0.123 seconds).
    public init(_ date: Date) {
        self.milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    /// The moment as a `Date`.
    public var date: Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }

    /// The ISO 8601 UTC form, e.g. `2026-11-25T21:49:42.123Z`.
    ///
    /// The milliseconds are written from the integer, not from a `Date`: a `Double` of seconds cannot hold every
    /// millisecond exactly, and formatting it truncated `…200.001` to `.000`.
    public var iso8601: String {
        let (seconds, millisecond) = milliseconds.quotientAndRemainder(dividingBy: 1000)
        let (wholeSeconds, fraction) = millisecond < 0 ? (seconds - 1, millisecond + 1000) : (seconds, millisecond)
        let whole = Self.secondsStyle.format(Date(timeIntervalSince1970: Double(wholeSeconds)))
        let digits = String(fraction)
        return String(whole.dropLast()) + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
    }

    public var description: String { iso8601 }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.milliseconds < rhs.milliseconds }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let milliseconds = try? container.decode(Int64.self) {
            self.init(milliseconds: milliseconds)
            return
        }
        let text = try container.decode(String.self)
        guard let date = Self.parse(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "“\(text)” is not an ISO 8601 time")
        }
        self.init(date)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso8601)
    }

    /// Reads an ISO 8601 time with or without fractional seconds.
    public static func parse(_ text: String) -> Date? {
        (try? style.parse(text)) ?? (try? Date.ISO8601FormatStyle(timeZone: utc).parse(text))
    }

    private static let utc = TimeZone(identifier: "UTC")!
    private static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: utc)
    private static let secondsStyle = Date.ISO8601FormatStyle(timeZone: utc)
}
