/// Decides from a file's name and first bytes whether it is a web page.
enum PageSniffing {
    static let pageExtensions: Set<String> = ["html", "htm", "xhtml", "shtml"]
    static let pageStarts = ["<!doctype html", "<html", "<head", "<body"]

    static func looksLikePage(_ bytes: [UInt8], fileName: String) -> Bool {
        let head = asciiPrefix(bytes, limit: 4096)
        guard let markup = firstMarkup(head) else { return false }
        if pageStarts.contains(where: { markup.starts(with: Array($0.utf8)) }) { return true }
        let dot = fileName.lastIndex(of: ".")
        let ext = dot.map { String(fileName[fileName.index(after: $0)...]).lowercased() } ?? ""
        // A page saved without its <html> (a fragment): the name says HTML and the text opens with a tag.
        return pageExtensions.contains(ext) && markup.count > 1 && isASCIILetter(markup[1])
    }

    /// The first bytes as lowercase ASCII: after a UTF-8 BOM as they are, after a UTF-16 BOM one byte per unit.
    static func asciiPrefix(_ bytes: [UInt8], limit: Int) -> [UInt8] {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return lowered(bytes.dropFirst(3).prefix(limit)) }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            let units = bytes.dropFirst(2).prefix(limit * 2)
            var ascii: [UInt8] = []
            var index = units.startIndex
            while index + 1 < units.endIndex {
                let (low, high) = bytes[0] == 0xFF ? (units[index], units[index + 1]) : (units[index + 1], units[index])
                ascii.append(high == 0 ? low : 0x80)
                index += 2
            }
            return lowered(ascii[...])
        }
        return lowered(bytes.prefix(limit))
    }

    private static func lowered(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        bytes.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }
    }

    /// The bytes from the first `<` that opens neither a comment nor an XML declaration, when only whitespace,
    /// comments and declarations come before it; nil when text comes first.
    static func firstMarkup(_ head: [UInt8]) -> ArraySlice<UInt8>? {
        var rest = head[...]
        while true {
            rest = rest.drop(while: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0x0C })
            guard rest.first == UInt8(ascii: "<") else { return nil }
            let skip: (open: String, close: String)?
            if rest.starts(with: Array("<!--".utf8)) {
                skip = ("<!--", "-->")
            } else if rest.starts(with: Array("<?".utf8)) {
                skip = ("<?", ">")
            } else {
                skip = nil
            }
            guard let skip else { return rest }
            guard let end = find(Array(skip.close.utf8), in: rest.dropFirst(skip.open.utf8.count)) else { return nil }
            rest = rest[end...]
        }
    }

    /// The index just past the first occurrence of `needle` in `haystack`.
    static func find(_ needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        var index = haystack.startIndex
        while index + needle.count <= haystack.endIndex {
            if haystack[index] == needle[0], haystack[index..<(index + needle.count)].elementsEqual(needle) {
                return index + needle.count
            }
            index += 1
        }
        return nil
    }

    static func isASCIILetter(_ byte: UInt8) -> Bool { (0x61...0x7A).contains(byte) || (0x41...0x5A).contains(byte) }
}
