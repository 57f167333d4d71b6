#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HTMLText
import Testing

/// How a page's bytes become text: BOM, valid UTF-8, declaration, GB18030, in that order.
@Suite("Reading a page's charset")
struct CharsetTests {
    static let body = "<p>县教育局二〇二三年工作总结</p>"
    static func gb18030(_ text: String) -> [UInt8] {
        // Test pages are written as UTF-8 here and converted with iconv, as the fixtures were.
        GB18030Encoder.encode(text)
    }

    @Test("the GB family, declared by meta or http-equiv, reads as GB18030", arguments: [
        "<meta charset=\"gb2312\">", "<meta charset=GBK>", "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">",
        "<META HTTP-EQUIV='content-type' CONTENT='text/html;charset=GB18030'>", "<?xml version=\"1.0\" encoding=\"gbk\"?>",
    ])
    func declaredGBFamily(declaration: String) throws {
        let page = try #require(try HTMLText.page(from: Self.gb18030("<html><head>\(declaration)</head><body>\(Self.body)</body></html>")))
        #expect(page.charset == "GB18030")
        #expect(page.text == "县教育局二〇二三年工作总结")
    }

    @Test func undeclaredLegacyBytesReadAsGB18030() throws {
        let page = try #require(try HTMLText.page(from: Self.gb18030("<html><body>\(Self.body)</body></html>")))
        #expect(page.charset == "GB18030")
        #expect(page.text == "县教育局二〇二三年工作总结")
    }

    @Test("a wrong declaration cannot garble valid UTF-8")
    func wrongDeclaration() throws {
        let html = "<html><head><meta charset=\"gb2312\"></head><body>\(Self.body)</body></html>"
        let page = try #require(try HTMLText.page(from: Array(html.utf8)))
        #expect(page.charset == "UTF-8")
        #expect(page.text == "县教育局二〇二三年工作总结")
        let bom = try #require(try HTMLText.page(from: [0xEF, 0xBB, 0xBF] + Array(html.utf8)))
        #expect(bom.text == page.text)
    }

    @Test func utf16WithBOMIsRead() throws {
        let html = "<html><body>\(Self.body)</body></html>"
        let little: [UInt8] = [0xFF, 0xFE] + html.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let big: [UInt8] = [0xFE, 0xFF] + html.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        #expect(try HTMLText.page(from: little)?.text == "县教育局二〇二三年工作总结")
        #expect(try HTMLText.page(from: big)?.text == "县教育局二〇二三年工作总结")
        #expect(HTMLText.looksLikePage(little, fileName: "page.dat"))
    }

    @Test func charsetInTheTextIsNotADeclaration() throws {
        // Only <meta> and <?xml?> tags declare: "charset=big5" in the page's words does not.
        let html = "<html><body><p>说明：charset=big5</p>\(Self.body)</body></html>"
        let page = try #require(try HTMLText.page(from: Self.gb18030(html)))
        #expect(page.charset == "GB18030")
    }

    @Test func otherDeclaredCharsetsGoThroughIconv() throws {
        // Big5 for a traditional-character page: 教育 is B1D0 A87C in Big5.
        let bytes = Array("<html><head><meta charset=big5></head><body><p>".utf8) + [0xB1, 0xD0, 0xA8, 0x7C]
            + Array("</p></body></html>".utf8)
        let page = try #require(try HTMLText.page(from: bytes))
        #expect(page.charset == "BIG5-HKSCS")
        #expect(page.text == "教育")
    }

    @Test func bytesNoCharsetReadAreRefused() throws {
        // A lone 0x80 is invalid in UTF-8 and in GB18030.
        #expect(try HTMLText.page(from: Array("<html><body>".utf8) + [0x80]) == nil)
        #expect(try HTMLText.page(from: [0xEF, 0xBB, 0xBF, 0xC3, 0x28]) == nil)
    }

    @Test func charsetDecoderRefusesAnUnknownConverter() throws {
        #expect(CharsetDecoder.decode([0x41], charset: "NO-SUCH-CHARSET") == nil)
        #expect(CharsetDecoder.decode([0xD6, 0xD0], charset: "GB18030") == "中")
    }
}

/// GB18030 bytes of test text, through the C library's iconv (the direction the product never needs).
enum GB18030Encoder {
    static func encode(_ text: String) -> [UInt8] {
        let converter = iconv_open("GB18030", "UTF-8")
        precondition(converter != iconv_t(bitPattern: -1))
        defer { iconv_close(converter) }
        var source = Array(text.utf8)
        var output = [UInt8](repeating: 0, count: source.count * 2 + 16)
        let produced = source.withUnsafeMutableBytes { inRaw in
            output.withUnsafeMutableBytes { outRaw in
                var inPointer = inRaw.baseAddress?.assumingMemoryBound(to: CChar.self)
                var outPointer = outRaw.baseAddress?.assumingMemoryBound(to: CChar.self)
                var inLeft = inRaw.count, outLeft = outRaw.count
                precondition(iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) != -1)
                return outRaw.count - outLeft
            }
        }
        return Array(output[..<produced])
    }
}
