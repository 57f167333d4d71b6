import ReportParser
import Testing
@testable import HTMLText

/// libxml2 is loaded when the first page is read, not linked into `margin`: a command that reads no page never loads
/// it, and an import of a page on a machine without it says what is missing.
@Suite("Loading libxml2 when a page is read")
struct LibraryLoadingTests {
    @Test("the system's libxml2 loads, and reads a page")
    func systemLibraryLoads() throws {
        _ = try LibXML2Library.shared.get()
        #expect(try HTMLText.extract(html: "<p>正文。</p>").text == "正文。")
    }

    @Test("a library that cannot be found is an error that names libxml2, says why and how to install it")
    func missingLibrary() {
        let result = LibXML2Library.load(["libmargin-no-such-library.so.9"])
        guard case let .failure(error) = result else {
            Issue.record("a library that does not exist was loaded")
            return
        }
        #expect(error.reason.contains("libmargin-no-such-library.so.9"), "the loader's own words: \(error.reason)")
        #expect(error.description.contains("needs libxml2"))
        #expect(error.description.contains("apt-get install libxml2"))
    }

    @Test("a library without the parser's functions is passed over for the next name")
    func libraryWithoutTheParser() throws {
        // libz is a shared library every machine that builds margin has, and it has no HTML parser.
        let result = LibXML2Library.load(["libz.so.1", "libxml2.so.2"])
        _ = try result.get()
        guard case let .failure(error) = LibXML2Library.load(["libz.so.1"]) else {
            Issue.record("zlib was taken for libxml2")
            return
        }
        #expect(error.reason == "libz.so.1 lacks xmlInitParser, htmlReadMemory or xmlFreeDoc")
    }

    @Test("an import of a page without libxml2 fails for that file with the reason, as a parser error")
    func importErrorSaysWhatIsMissing() {
        let cause = HTMLTextError(reason: "libxml2.so.2: cannot open shared object file: No such file or directory")
        let error = ReportParserError(.pageReaderUnavailable, fileName: "report.html", detail: cause.description)
        #expect(error.description.hasPrefix("report.html is a web page, and reading web pages needs libxml2"))
        #expect(error.description.contains("cannot open shared object file"))
    }
}
