import Foundation
import ReportParser
import Testing

/// `TextDecoding.decode`, the one place bytes become text: pages go through HTMLText, everything else as before.
@Suite("Decoding files that are, or look like, pages")
struct PageDecodingTests {
    @Test func aPageBecomesItsText() throws {
        let page = "<!DOCTYPE html><html><body><nav><a href='/'>首页</a><a href='/a'>总结</a></nav>"
            + "<h1>县教育局工作总结</h1><p>一、总体情况</p></body></html>"
        #expect(try TextDecoding.decode(Data(page.utf8), fileName: "page.txt") == "县教育局工作总结\n\n一、总体情况")
    }

    @Test("a file named .html that holds plain text keeps its lines")
    func plainTextNamedHTML() throws {
        let text = "县教育局工作总结\n\n一、总体情况\n全年新增学位1200个。\n"
        #expect(try TextDecoding.decode(Data(text.utf8), fileName: "report.html") == text)
    }

    @Test("text that mentions tags is not a page")
    func textMentioningTags() throws {
        let text = "县教育局工作总结\n\n网页用 <p> 和 <html> 标记段落。\n"
        #expect(try TextDecoding.decode(Data(text.utf8), fileName: "report.txt") == text)
    }

    @Test("bad pages get the errors bad text files get", arguments: [
        ("<html><body>\u{0}\u{0}</body></html>", ReportParserError.Kind.binaryFile),
        ("<html><head><title>只有标题</title><script>x()</script></head><body></body></html>", .emptyFile),
        // libxml2 drops control characters, which are not text in HTML: what is left is nothing.
        ("<html><body><p>" + String(repeating: "\u{1}\u{2}\u{3}", count: 50) + "</p></body></html>", .emptyFile),
    ])
    func badPages(page: String, kind: ReportParserError.Kind) {
        #expect(throws: ReportParserError.self) { try TextDecoding.decode(Data(page.utf8), fileName: "bad.html") }
        do {
            _ = try TextDecoding.decode(Data(page.utf8), fileName: "bad.html")
        } catch {
            #expect(error.kind == kind)
            #expect(error.description.hasPrefix("bad.html "))
        }
    }

    @Test func undecodablePageSaysWhy() {
        do {
            _ = try TextDecoding.decode(Data(Array("<html><body>".utf8) + [0x80, 0x80]), fileName: "bad.html")
            Issue.record("bytes valid in no charset were decoded")
        } catch {
            #expect(error.kind == .undecodable)
            #expect(error.description.contains("web page"))
        }
    }
}
