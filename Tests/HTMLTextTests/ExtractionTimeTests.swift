import Foundation
import HTMLText
import ReportParser
import Testing

/// Prints how long extraction takes on the fixtures and on a 1 MB page. Nothing here asserts a time: the numbers
/// are for reading, and machines differ.
@Suite("Extraction time (printed, not asserted)")
struct ExtractionTimeTests {
    @Test func fixturesAndAOneMegabytePage() throws {
        let clock = ContinuousClock()
        for name in PageFixtures.names {
            let bytes = [UInt8](try PageFixtures.page(name))
            var page: HTMLPage?
            let elapsed = clock.measure { page = try? HTMLText.page(from: bytes) }
            #expect(page?.text.isEmpty == false)
            print("extract \(name).html (\(bytes.count) bytes): \(elapsed)")
        }

        // One article repeated behind chrome until the page is 1 MB: many reports, each with its own menu.
        let article = String(decoding: try PageFixtures.page("chrome-article"), as: UTF8.self)
        let body = article.components(separatedBy: "<body>")[1].components(separatedBy: "</body>")[0]
        var html = "<!DOCTYPE html><html><head><meta charset=utf-8><title>合集</title></head><body>"
        var copies = 0
        while html.utf8.count < 1_000_000 { html += body; copies += 1 }
        html += "</body></html>"
        let bytes = Array(html.utf8)
        var page: HTMLPage?
        let extraction = clock.measure { page = try? HTMLText.page(from: bytes) }
        let text = try #require(page?.text)
        #expect(text.components(separatedBy: "一、学位供给持续扩大").count - 1 == copies)
        #expect(!text.contains("热门推荐"))
        var reports: [ParsedReport] = []
        let parse = clock.measure { reports = (try? ReportParser.parse(data: Data(bytes), fileName: "large.html")) ?? [] }
        #expect(!reports.isEmpty)
        print("extract a \(bytes.count)-byte page (\(copies) articles, \(text.utf8.count) bytes of text): \(extraction); "
              + "extract and parse: \(parse), \(reports.count) reports")
    }
}
