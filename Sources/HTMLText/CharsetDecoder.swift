#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decodes bytes in a legacy character set through the C library's `iconv`.
public enum CharsetDecoder {
    /// The text of `bytes` in the character set `charset` (an `iconv` name such as `GB18030` or `BIG5-HKSCS`); nil
    /// when the converter is unknown or the bytes are not valid in that character set.
    public static func decode(_ bytes: [UInt8], charset: String) -> String? {
        if charset == "UTF-8" { return String(validating: bytes, as: UTF8.self) }
        let converter = iconv_open("UTF-8", charset)
        if converter == iconv_t(bitPattern: -1) { return nil }
        defer { iconv_close(converter) }
        var source = bytes
        // No legacy character set needs more than 4 UTF-8 bytes per input byte.
        var output = [UInt8](repeating: 0, count: source.count * 4 + 16)
        let produced: Int? = source.withUnsafeMutableBytes { inRaw in
            output.withUnsafeMutableBytes { outRaw in
                var inPointer = inRaw.baseAddress?.assumingMemoryBound(to: CChar.self)
                var outPointer = outRaw.baseAddress?.assumingMemoryBound(to: CChar.self)
                var inLeft = inRaw.count
                var outLeft = outRaw.count
                if iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) == -1 || inLeft != 0 { return nil }
                return outRaw.count - outLeft
            }
        }
        guard let produced else { return nil }
        return String(validating: output[..<produced], as: UTF8.self)
    }
}
