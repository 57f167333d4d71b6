import HTMLText
import Testing

@Suite("Telling a page from a text file")
struct SniffingTests {
    @Test("pages are recognised by their first markup, whatever their name", arguments: [
        "<!DOCTYPE html><html><body></body></html>", "<!doctype HTML>", "\n\n  <html lang=zh>", "<HEAD><title>x</title>",
        "<body>", "\u{FEFF}<html>", "<!-- saved from url=(0034)http://example.com/a.html -->\n<html>",
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\">",
    ])
    func pages(start: String) {
        #expect(HTMLText.looksLikePage(Array(start.utf8), fileName: "report.txt"))
    }

    @Test("a .html name with markup first is a page; text first is not", arguments: [
        ("<p>正文</p>", true), ("<div class=a>", true), ("县教育局工作总结\n<p>", false), ("< 30人", false), ("", false),
    ])
    func byName(start: String, isPage: Bool) {
        #expect(HTMLText.looksLikePage(Array(start.utf8), fileName: "report.html") == isPage)
        #expect(HTMLText.looksLikePage(Array(start.utf8), fileName: "report.HTM") == isPage)
    }

    @Test("report text is never a page", arguments: [
        "县教育局工作总结\n\n一、总体情况", "<县教育局工作总结>", "<p>正文</p>", "<!-- 注释 --> 县教育局", "<!-- never closed",
    ])
    func text(start: String) {
        #expect(!HTMLText.looksLikePage(Array(start.utf8), fileName: "report.txt"))
    }
}
