/// The character set a page declares in its first bytes: `<meta charset=…>`, `<meta http-equiv="Content-Type"
/// content="…; charset=…">` or an XML declaration's `encoding=…`.
///
/// This is a byte scan of the kind browsers run before parsing (the HTML standard's "prescan"), not a parse: it
/// only looks inside `<meta …>` and `<?xml …?>` tags, so `charset=` in the page's text is never taken.
enum CharsetDeclaration {
    /// How far into the file a declaration is looked for.
    static let scanLimit = 4096

    /// The declared name as written, e.g. `gb2312`; nil when there is none.
    static func declared(in bytes: [UInt8]) -> String? {
        let head = PageSniffing.asciiPrefix(bytes, limit: scanLimit)
        var rest = head[...]
        while let open = rest.firstIndex(of: UInt8(ascii: "<")) {
            let tag = rest[open...]
            let end = tag.firstIndex(of: UInt8(ascii: ">")) ?? tag.endIndex
            let inside = tag[tag.startIndex..<end]
            if inside.starts(with: Array("<meta".utf8)), let name = value(of: "charset", in: inside) { return name }
            if inside.starts(with: Array("<?xml".utf8)), let name = value(of: "encoding", in: inside) { return name }
            if inside.starts(with: Array("<!--".utf8)) {
                rest = PageSniffing.find(Array("-->".utf8), in: tag.dropFirst(4)).map { head[$0...] } ?? []
                continue
            }
            rest = end < tag.endIndex ? head[(end + 1)...] : []
        }
        return nil
    }

    /// The word after `key=` (spaces and quotes around it allowed) inside one tag.
    private static func value(of key: String, in tag: ArraySlice<UInt8>) -> String? {
        var searchFrom = tag.startIndex
        while let after = PageSniffing.find(Array(key.utf8), in: tag[searchFrom...]) {
            searchFrom = after
            var index = after
            while index < tag.endIndex, tag[index] == 0x20 { index += 1 }
            guard index < tag.endIndex, tag[index] == UInt8(ascii: "=") else { continue }
            index += 1
            while index < tag.endIndex, [0x20, 0x22, 0x27].contains(tag[index]) { index += 1 }
            let start = index
            while index < tag.endIndex, isNameByte(tag[index]) { index += 1 }
            if index > start { return String(decoding: tag[start..<index], as: UTF8.self) }
        }
        return nil
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        PageSniffing.isASCIILetter(byte) || (0x30...0x39).contains(byte) || [0x2D, 0x5F, 0x2E, 0x3A].contains(byte)
    }

    /// The converter name for a declared charset: the GB family reads as GB18030, which is a superset of GB2312
    /// and GBK; a UTF-16 declaration in bytes that had no UTF-16 BOM reads as UTF-8, as browsers do.
    static func converterName(for declared: String) -> String {
        switch declared.lowercased() {
        case "gb2312", "gbk", "gb18030", "x-gbk", "cp936", "ms936", "windows-936", "euc-cn", "csgb2312", "gb_2312-80",
             "iso-ir-58", "chinese", "hz-gb-2312":
            return "GB18030"
        case "utf-8", "utf8", "unicode-1-1-utf-8", "utf-16", "utf-16le", "utf-16be", "unicode":
            return "UTF-8"
        case "big5", "big5-hkscs", "cn-big5", "x-x-big5":
            return "BIG5-HKSCS"
        default:
            return declared.uppercased()
        }
    }
}
