/// Turns a page's bytes into text, so that libxml2 is always handed UTF-8 and a page's own (possibly wrong)
/// declaration cannot garble it.
///
/// The order: a BOM (UTF-8, UTF-16 LE/BE); else bytes that are valid UTF-8 are UTF-8, whatever the page declares
/// (a page converted to UTF-8 often keeps its old `gb2312` meta, while GBK text is almost never valid UTF-8); else
/// the charset of `<meta charset>`, `<meta http-equiv="Content-Type">` or an XML declaration (GB2312 and GBK read
/// as GB18030); else GB18030.
enum PageDecoding {
    static func decode(_ bytes: [UInt8]) -> (text: String, charset: String)? {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            return String(validating: bytes.dropFirst(3), as: UTF8.self).map { ($0, "UTF-8") }
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            let charset = bytes[0] == 0xFF ? "UTF-16LE" : "UTF-16BE"
            return CharsetDecoder.decode(Array(bytes.dropFirst(2)), charset: charset).map { ($0, charset) }
        }
        if let text = String(validating: bytes, as: UTF8.self) { return (text, "UTF-8") }
        if let declared = CharsetDeclaration.declared(in: bytes) {
            let charset = CharsetDeclaration.converterName(for: declared)
            if charset != "UTF-8", let text = CharsetDecoder.decode(bytes, charset: charset) { return (text, charset) }
        }
        return CharsetDecoder.decode(bytes, charset: "GB18030").map { ($0, "GB18030") }
    }
}
