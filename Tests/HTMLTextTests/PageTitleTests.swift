import Foundation
import Testing
@testable import ReportParser

/// A web page with no title line of its own takes its report's title from the page's `<title>`, and says so.
@Suite("Titles from a page's own title")
struct PageTitleTests {
    static func page(title: String) -> Data {
        Data("""
            <!DOCTYPE html><html><head><meta charset="utf-8"><title>\(title)</title></head><body>
            <p>一、主要工作</p><p>全年新建幼儿园三所，改造薄弱学校校舍十二处。</p>
            <p>二、存在问题</p><p>农村教师结构性缺编仍然突出。</p>
            </body></html>
            """.utf8)
    }

    @Test("the report's title is the page title without the site's name", arguments: [
        "城关区教育局2024年工作总结_某某范文网", "某某网 - 城关区教育局2024年工作总结", "城关区教育局2024年工作总结｜某某",
        "城关区教育局2024年工作总结", "城关区教育局2024年工作总结-城关区教育局", "城关区教育局2024年工作总结－城关区人民政府",
        "城关区教育局2024年工作总结-城关教育网", "城关区教育局2024年工作总结-城关区", "城关区教育局2024年工作总结 - 某某门户网站",
    ])
    func titleFromPage(title: String) throws {
        let reports = try ReportParser.parse(data: Self.page(title: title), fileName: "page.html")
        #expect(reports.count == 1)
        #expect(reports.first?.title == "城关区教育局2024年工作总结")
        #expect(reports.first?.titleSource == .pageTitle)
        #expect(reports.first?.sections.map(\.label) == ["", "一、", "二、"])
    }

    @Test("a hyphen inside the title stays", arguments: [
        "城关区教育局2023-2024学年工作总结", "城关区教育局2023-2024学年工作总结-城关区教育局", "城关区中小学-幼儿园2024年工作总结",
    ])
    func hyphenInsideTheTitle(title: String) throws {
        let reports = try ReportParser.parse(data: Self.page(title: title), fileName: "page.html")
        let expected = title.hasPrefix("城关区教育局") ? "城关区教育局2023-2024学年工作总结" : title
        #expect(reports.first?.title == expected)
        #expect(reports.first?.titleSource == .pageTitle)
    }

    @Test("a page title that names no report leaves the title where it came from")
    func pageTitleWithoutAReport() throws {
        let reports = try ReportParser.parse(data: Self.page(title: "某某网首页"), fileName: "page.html")
        #expect(reports.count == 1)
        #expect(reports.first?.titleSource != .pageTitle)
        #expect(reports.first?.title.contains("某某网") == false)
    }

    @Test("a page with a title line keeps it")
    func titleLineWins() throws {
        let html = """
            <html><head><title>别的总结_某某网</title></head><body>
            <h1>城关区教育局2024年工作计划</h1><p>一、目标</p><p>办好人民满意的教育。</p></body></html>
            """
        let reports = try ReportParser.parse(data: Data(html.utf8), fileName: "plan.html")
        #expect(reports.first?.title == "城关区教育局2024年工作计划")
        #expect(reports.first?.titleSource == .titleLine)
    }
}
