import Foundation
import HTMLText
import ReportParser
import Testing

@Suite("Saved pages parse as a person reads them")
struct GoldenPageTests {
    @Test func everyFormIsPresent() throws {
        #expect(PageFixtures.names == [
            "br-indent", "chrome-article", "collection", "gb18030-undeclared", "gbk-http-equiv", "malformed",
            "utf8-bom", "utf8-meta",
        ])
    }

    @Test("the outline equals the one read by eye", arguments: PageFixtures.names)
    func outlineMatchesGolden(name: String) throws {
        let reports = try ReportParser.parse(data: PageFixtures.page(name), fileName: "\(name).html")
        #expect(PageFixtures.outline(reports) == (try PageFixtures.golden(name)))
    }

    @Test("the page parses as its plain text does", arguments: PageFixtures.names)
    func pageEqualsItsText(name: String) throws {
        let fromPage = try ReportParser.parse(data: PageFixtures.page(name), fileName: "\(name).html")
        let fromText = try ReportParser.parse(data: PageFixtures.twin(name), fileName: "\(name).txt")
        #expect(PageFixtures.outline(fromPage) == PageFixtures.outline(fromText))
        #expect(fromPage.map(\.title) == fromText.map(\.title))
        #expect(PageFixtures.trimmedTexts(fromPage) == PageFixtures.trimmedTexts(fromText))
    }

    @Test("each page is read in the charset it was written in", arguments: [
        ("utf8-meta", "UTF-8"), ("gbk-http-equiv", "GB18030"), ("gb18030-undeclared", "GB18030"), ("utf8-bom", "UTF-8"),
    ])
    func charset(name: String, expected: String) throws {
        let page = try #require(try HTMLText.page(from: [UInt8](PageFixtures.page(name))))
        #expect(page.charset == expected)
        // Characters only GB18030 (not GBK) has, and the title, prove the bytes were read right.
        if name == "gb18030-undeclared" { #expect(page.text.contains("作者：王䶮　校对：李㐂")) }
        #expect(page.title?.contains("教育局") == true)
    }

    @Test("no furniture of the chrome page reaches the text")
    func chromeIsDropped() throws {
        let page = try #require(try HTMLText.page(from: [UInt8](PageFixtures.page("chrome-article"))))
        for furniture in ["这不是正文", "脚本里的假标题", "学习文库", "首页", "搜索", "上一篇", "下一篇", "相关文章",
                          "热门推荐", "侧栏", "请启用", "Copyright", "关于我们", "统计代码", "隐藏的重复段落", "模板中的占位内容",
                          "font-family"] {
            #expect(!page.text.contains(furniture), "\(furniture) leaked into the text")
        }
        #expect(page.title == "东湖区教育局2023年工作总结-工作总结-学习文库")
        #expect(page.text.hasPrefix("东湖区教育局2023年工作总结\n\n来源：东湖区教育局办公室\n\n2023年"))
        #expect(page.text.hasSuffix("（东湖区教育局 2024年1月）"))
    }

    @Test("ideographic indentation stays, no-break spaces collapse, <br> breaks lines")
    func brAndIndentation() throws {
        let page = try #require(try HTMLText.page(from: [UInt8](PageFixtures.page("br-indent"))))
        let lines = page.text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "　　红岭镇中心学校2023年度工作报告")
        #expect(lines.dropFirst().first == "")
        #expect(lines.contains("一、狠抓教学常规管理"))
        #expect(lines.contains("　　（一）开展主题教育。围绕传统节日开展“我们的节日”系列活动12次。"))
        #expect(lines.last == "红岭镇中心学校 2023年12月28日")
    }
}
