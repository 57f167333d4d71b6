import Foundation
internal import HTMLText

/// Turns raw file bytes into text.
///
/// Accepted encodings: UTF-8 (with or without BOM), UTF-16 LE/BE with BOM, and
/// GB18030 (which covers GBK/GB2312) for bytes that are not valid UTF-8.
/// Line endings are normalised to `\n` and a leading U+FEFF is removed.
///
/// A saved web page (`.html`, `.htm`, `.xhtml`, or any file that opens with `<!DOCTYPE html`, `<html`, `<head` or
/// `<body`) is read in the charset its BOM or `<meta>` names and decoded to its main text (`HTMLText`): what a
/// reader sees, without navigation, scripts, styles or link lists, one block per line.
public enum TextDecoding {
    /// A file's text, and the title a web page gives itself (its `<title>`), if it is a page and has one.
    public struct DecodedText: Sendable, Equatable {
        /// The text, decoded and normalized; for a web page, its main text.
        public var text: String
        /// A web page's `<title>`, trimmed; nil for plain text.
        public var pageTitle: String?
    }

    /// Decodes `data`; `fileName` is only used in error messages.
    public static func decode(_ data: Data, fileName: String) throws(ReportParserError) -> String {
        try decodeWithTitle(data, fileName: fileName).text
    }

    /// Decodes `data` and keeps a web page's own title; `fileName` is only used in error messages.
    public static func decodeWithTitle(_ data: Data, fileName: String) throws(ReportParserError) -> DecodedText {
        let bytes = [UInt8](data)
        guard !bytes.isEmpty else {
            throw ReportParserError(.emptyFile, fileName: fileName, detail: "0 bytes")
        }
        if HTMLText.looksLikePage(bytes, fileName: fileName) { return try decodePage(bytes, fileName: fileName) }
        let decoded: String
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            guard let s = String(validating: bytes.dropFirst(3), as: UTF8.self) else {
                let damage = UTF8Damage(bytes).map { "; " + $0.advice } ?? ""
                throw ReportParserError(.undecodable, fileName: fileName, detail: "it has a UTF-8 BOM but invalid UTF-8 bytes" + damage)
            }
            decoded = s
        } else if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            decoded = try decodeUTF16(bytes.dropFirst(2), bigEndian: bytes[0] == 0xFE, fileName: fileName)
        } else if bytes.contains(0) {
            throw ReportParserError(.binaryFile, fileName: fileName, detail: "it contains NUL bytes")
        } else if let s = String(validating: bytes, as: UTF8.self) {
            decoded = s
        } else if let s = decodeGB18030(bytes) {
            decoded = s
        } else {
            throw ReportParserError(.undecodable, fileName: fileName, detail: UTF8Damage(bytes)?.advice)
        }
        let text = normalize(decoded)
        if text.unicodeScalars.allSatisfy({ $0.properties.isWhitespace }) {
            throw ReportParserError(.emptyFile, fileName: fileName, detail: "it contains only whitespace")
        }
        if looksBinary(text) {
            throw ReportParserError(.binaryFile, fileName: fileName, detail: "it consists mostly of control characters")
        }
        return DecodedText(text: text, pageTitle: nil)
    }

    /// A web page's main text, checked as plain text is.
    private static func decodePage(_ bytes: [UInt8], fileName: String) throws(ReportParserError) -> DecodedText {
        let utf16 = bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF])
        if !utf16 && bytes.contains(0) {
            throw ReportParserError(.binaryFile, fileName: fileName, detail: "it contains NUL bytes")
        }
        let parsed: HTMLPage?
        do {
            parsed = try HTMLText.page(from: bytes)
        } catch {
            throw ReportParserError(.pageReaderUnavailable, fileName: fileName, detail: error.description)
        }
        guard let page = parsed else {
            let damage = UTF8Damage(bytes).map { "; " + $0.advice } ?? ""
            throw ReportParserError(.undecodable, fileName: fileName, detail: "it is a web page whose bytes are valid neither in the charset it declares nor in UTF-8 or GB18030" + damage)
        }
        let text = normalize(page.text)
        if text.unicodeScalars.allSatisfy({ $0.properties.isWhitespace }) {
            throw ReportParserError(.emptyFile, fileName: fileName, detail: "it is a web page with no text outside its navigation, scripts and link lists")
        }
        if looksBinary(text) {
            throw ReportParserError(.binaryFile, fileName: fileName, detail: "its page text consists mostly of control characters")
        }
        return DecodedText(text: text, pageTitle: page.title.map { String(LineText.trimmed($0)) }.flatMap { $0.isEmpty ? nil : $0 })
    }

    /// Removes a leading BOM and turns CRLF and lone CR into LF.
    static func normalize(_ text: String) -> String {
        if !text.utf8.contains(0x0D) && text.unicodeScalars.first != "\u{FEFF}" { return text }
        var scalars = String.UnicodeScalarView()
        var iterator = text.unicodeScalars.makeIterator()
        var first = true
        var pendingCR = false
        while let scalar = iterator.next() {
            defer { first = false }
            if first && scalar == "\u{FEFF}" { continue }
            if pendingCR {
                pendingCR = false
                scalars.append("\n")
                if scalar == "\n" { continue }
            }
            if scalar == "\r" { pendingCR = true; continue }
            scalars.append(scalar)
        }
        if pendingCR { scalars.append("\n") }
        return String(scalars)
    }

    private static func decodeUTF16(_ body: ArraySlice<UInt8>, bigEndian: Bool, fileName: String) throws(ReportParserError) -> String {
        guard body.count % 2 == 0 else {
            throw ReportParserError(.undecodable, fileName: fileName, detail: "it has a UTF-16 BOM but an odd number of bytes")
        }
        var units = [UInt16]()
        units.reserveCapacity(body.count / 2)
        var index = body.startIndex
        while index < body.endIndex {
            let a = UInt16(body[index]), b = UInt16(body[index + 1])
            units.append(bigEndian ? (a << 8 | b) : (b << 8 | a))
            index += 2
        }
        guard let s = String(validating: units, as: UTF16.self) else {
            throw ReportParserError(.undecodable, fileName: fileName, detail: "it has a UTF-16 BOM but invalid UTF-16 data")
        }
        return s
    }

    /// GB18030 is a superset of GBK and GB2312, so one converter covers the
    /// legacy encodings Chinese sites commonly serve.
    private static func decodeGB18030(_ input: [UInt8]) -> String? {
        CharsetDecoder.decode(input, charset: "GB18030")
    }

    /// Legacy decoders accept almost any byte soup, so the decoded text must
    /// still look like prose: more than 10% control characters means binary.
    private static func looksBinary(_ text: String) -> Bool {
        var total = 0, control = 0
        for scalar in text.unicodeScalars {
            total += 1
            switch scalar.value {
            case 0x09, 0x0A, 0x0C: continue
            case 0x00..<0x20, 0x7F, 0x80..<0xA0: control += 1
            default: continue
            }
        }
        return control * 10 > total
    }
}
