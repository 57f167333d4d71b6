import Foundation
import HTMLText
import ReportParser
import Testing

/// Tag soup and random bytes never crash the import: each gives reports or a `ReportParserError`.
///
/// The seed is printed; set `MARGIN_HTML_SEED` to replay a run, `MARGIN_HTML_CASES` for more cases.
@Suite("Robustness against tag soup")
struct RobustnessTests {
    static let environment = ProcessInfo.processInfo.environment
    static let seed = environment["MARGIN_HTML_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 1...UInt64.max)
    static let cases = environment["MARGIN_HTML_CASES"].flatMap { Int($0) } ?? 300

    /// Text that only ever appears inside <script> or <style> in the generated soup.
    static let hiddenMarker = "隐藏标记XYZ"

    static let tags = ["html", "head", "body", "div", "p", "span", "b", "i", "a", "ul", "ol", "li", "table", "tr", "td",
                       "h1", "h2", "br", "article", "section", "nav", "header", "footer", "aside", "form", "pre",
                       "blockquote", "font", "center", "title", "meta", "img", "hr", "tbody", "dl", "dd", "dt"]
    static let texts = ["县教育局2023年工作总结", "一、总体情况", "（一）学前教育", "1.强化管理。", "全年新增学位1200个。",
                        "篇一：", "【篇二】", "&nbsp;", "&#12288;", "&amp;", "&lt;", "&#x4E00;", "&bogus;", "　　", " ", "\n",
                        "<", ">", "\"", "'", "=", "发布时间：2024-01-01", "上一篇：", "<!--", "-->", "]]>", "<![CDATA["]

    @Test("random tag soup gives reports or a clear error")
    func tagSoup() throws {
        print("HTML tag soup seed: \(Self.seed) (MARGIN_HTML_SEED=\(Self.seed) to replay)")
        var generator = SplitMix64(seed: Self.seed)
        var outcomes = (reports: 0, errors: 0)
        for index in 0..<Self.cases {
            let soup = index % 4 == 3 ? Self.randomBytes(&generator) : Self.tagSoup(&generator)
            let bytes = [UInt8](soup.bytes)
            do {
                let reports = try ReportParser.parse(data: Data(bytes), fileName: "soup-\(index).html")
                outcomes.reports += 1
                for report in reports {
                    #expect(!report.title.isEmpty, "case \(index) of seed \(Self.seed)")
                    #expect(report.sections.first?.level == 0, "case \(index) of seed \(Self.seed)")
                }
            } catch {
                // Typed throws: every failure is a ReportParserError with a sentence naming the file.
                #expect(error.description.contains("soup-\(index).html"), "case \(index) of seed \(Self.seed)")
                outcomes.errors += 1
            }
            guard soup.structured, let page = try HTMLText.page(from: bytes) else { continue }
            let preformatted = soup.bytes.count > 4 && String(decoding: soup.bytes, as: UTF8.self).contains("<pre")
            #expect(!page.text.contains(Self.hiddenMarker), "case \(index) of seed \(Self.seed): script text leaked")
            #expect(!page.text.unicodeScalars.contains("\0"), "case \(index) of seed \(Self.seed)")
            // Inside <pre> spaces are text; everywhere else a line starts and ends with a visible character.
            for line in page.text.split(separator: "\n") where !preformatted {
                #expect(line.first != " " && line.last != " ", "case \(index) of seed \(Self.seed): untrimmed line")
            }
        }
        print("HTML tag soup: \(outcomes.reports) parsed, \(outcomes.errors) refused")
        #expect(outcomes.reports + outcomes.errors == Self.cases)
    }

    @Test("a page nested 20,000 elements deep is read whole, without exhausting the stack")
    func deepNesting() throws {
        let depth = 20_000
        let html = String(repeating: "<div><span>", count: depth) + "县教育局工作总结" + String(repeating: "</span></div>", count: depth)
            + "<div>二、后记</div>"
        let page = try HTMLText.extract(html: "<html><body>" + html + "</body></html>")
        #expect(page.text == "县教育局工作总结\n二、后记", "nothing after depth 256 may be lost")
    }

    @Test("NUL bytes, lone surrogate escapes and huge entities do not break extraction")
    func oddInput() throws {
        let page = try HTMLText.extract(html: "<p>甲\u{0}乙&#xD800;丙&#99999999;丁</p>")
        #expect(page.text.hasPrefix("甲"))
        #expect(page.text.contains("丁"))
    }

    struct Soup {
        var bytes: [UInt8]
        /// Built from whole tags and texts (where the hidden marker can only be script or style text).
        var structured: Bool
    }

    static func tagSoup(_ generator: inout SplitMix64) -> Soup {
        var html = generator.next() % 2 == 0 ? "<!DOCTYPE html>" : "<html>"
        for _ in 0..<Int(generator.next() % 200) {
            switch generator.next() % 7 {
            case 0, 1:
                let tag = tags[Int(generator.next() % UInt64(tags.count))]
                let attribute = generator.next() % 4 == 0 ? " class=\"c\(generator.next() % 9)\" href='/\(generator.next() % 9)'" : ""
                html += "<\(tag)\(attribute)>"
            case 2:
                html += "</\(tags[Int(generator.next() % UInt64(tags.count))])>"
            case 3:
                html += generator.next() % 2 == 0 ? "<script>var m = '\(hiddenMarker)';</script>" : "<style>.x{content:'\(hiddenMarker)'}</style>"
            default:
                html += texts[Int(generator.next() % UInt64(texts.count))].replacingOccurrences(of: "<", with: "&lt;")
            }
        }
        // Only the literal "<" text piece could open markup around the marker; it was escaped above, except in
        // comments, which swallow whatever follows and hide the marker too.
        return Soup(bytes: Array(html.utf8), structured: true)
    }

    static func randomBytes(_ generator: inout SplitMix64) -> Soup {
        var bytes = Array("<html><body>".utf8)
        for _ in 0..<Int(generator.next() % 2000) { bytes.append(UInt8(truncatingIfNeeded: generator.next())) }
        return Soup(bytes: bytes, structured: false)
    }
}

/// A small deterministic generator (SplitMix64), so a printed seed replays a run exactly.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49EB_133B_111F
        return z ^ (z >> 31)
    }
}
