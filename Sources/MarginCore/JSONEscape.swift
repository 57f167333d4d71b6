/// JSON's string escapes (RFC 8259, section 7), read from UTF-8 bytes: the one reading of them for ``StrictJSON``
/// (revision bodies) and for the sync protocol's page reader, so that both take the same escapes.
public enum JSONEscape {
    /// Why a `\u` escape is not a Unicode scalar.
    public enum Failure: Error, Sendable {
        /// The text ends before four hexadecimal digits.
        case truncated
        /// One of the four characters is not a hexadecimal digit.
        case notHexadecimal
        /// A high surrogate is not followed by a `\u` escape.
        case loneHighSurrogate
        /// A high surrogate is followed by an escape that is not a low surrogate.
        case highSurrogateWithoutLow
        /// A low surrogate with no high one before it.
        case loneLowSurrogate
    }

    /// The byte that a one-character escape (`\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`) stands for, given the
    /// character after the backslash; nil for `u` and for anything that is not an escape.
    public static func shortEscape(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): byte
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "t"): 0x09
        default: nil
        }
    }

    /// The scalar of the `\u` escape whose four digits start at `position` (just after `\u`), with the low
    /// surrogate's `\u` escape that must follow a high one. `position` ends after the last digit read, also when the
    /// escape is refused, so that a caller can name where.
    public static func unicodeScalar(
        in bytes: UnsafeBufferPointer<UInt8>, at position: inout Int
    ) throws(Failure) -> Unicode.Scalar {
        let first = try hexQuad(in: bytes, at: &position)
        switch first {
        case 0xD800...0xDBFF:
            guard position + 2 <= bytes.count, bytes[position] == UInt8(ascii: "\\"),
                bytes[position + 1] == UInt8(ascii: "u")
            else { throw .loneHighSurrogate }
            position += 2
            let second = try hexQuad(in: bytes, at: &position)
            guard (0xDC00...0xDFFF).contains(second) else { throw .highSurrogateWithoutLow }
            return Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))!
        default:
            guard let scalar = Unicode.Scalar(first) else { throw .loneLowSurrogate }
            return scalar
        }
    }

    /// Four hexadecimal digits from `position`, moving past each one read.
    private static func hexQuad(in bytes: UnsafeBufferPointer<UInt8>, at position: inout Int) throws(Failure) -> UInt32 {
        guard position + 4 <= bytes.count else { throw .truncated }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw .notHexadecimal
            }
            value = value * 16 + digit
            position += 1
        }
        return value
    }
}
