/// A linear scan that tells whether a JSON body has a plausible number of values for its size.
///
/// JSON decoders index every value before decoding (Foundation's about 24 bytes per value, more while the index
/// grows), so a body of tiny values such as `[1,1,1,…]` costs twenty and more times its size in memory, whatever the
/// message's shape, since unknown fields are indexed too. Real messages are far sparser: a page of tag revisions has
/// one value per 18 bytes (21 values in about 380 bytes, ids and peer ids being 16 to 64 characters), a version
/// vector one per 11 (`"a1b2c3d4e5f60718":12,`). A body with more than one value per ``minimumBytesPerValue`` bytes
/// is refused before it reaches the decoder.
enum JSONDensity {
    /// The fewest bytes per value a body may average.
    static let minimumBytesPerValue = 8
    /// Values any small body may hold whatever its size.
    static let allowance = 1024

    /// True when `bytes` holds at most one value per ``minimumBytesPerValue`` bytes (plus ``allowance``).
    static func isPlausible(_ bytes: UnsafeRawBufferPointer) -> Bool {
        values(in: bytes) <= allowance + bytes.count / minimumBytesPerValue
    }

    /// Counts the places a value starts: after `{`, `[`, `,` and `:` outside strings (an upper bound on the values).
    ///
    /// Most of a message's bytes are inside strings (a revision's body is one), and there only a quote or a
    /// backslash matters: eight bytes at a time are skipped while none of them is either. The count is exactly
    /// what a byte-by-byte scan counts (the tests compare the two).
    static func values(in bytes: UnsafeRawBufferPointer) -> Int {
        var count = 0
        var index = 0
        var inString = false
        while index < bytes.count {
            if inString {
                while index + 8 <= bytes.count {
                    let word = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                    if hasByte(word, UInt8(ascii: "\\")) || hasByte(word, UInt8(ascii: "\"")) { break }
                    index += 8
                }
                guard index < bytes.count else { break }
                switch bytes[index] {
                case UInt8(ascii: "\\"): index += 2
                case UInt8(ascii: "\""): inString = false; index += 1
                default: index += 1
                }
            } else {
                switch bytes[index] {
                case UInt8(ascii: "\""): inString = true
                case UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: ","), UInt8(ascii: ":"): count += 1
                default: break
                }
                index += 1
            }
        }
        return count
    }

    /// True when one of the eight bytes of `word` is `byte` (the classic test for a zero byte, on `word ^ byte…`).
    @inline(__always)
    private static func hasByte(_ word: UInt64, _ byte: UInt8) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let xored = word ^ (ones &* UInt64(byte))
        return (xored &- ones) & ~xored & 0x8080_8080_8080_8080 != 0
    }
}
