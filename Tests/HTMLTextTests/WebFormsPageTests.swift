import Foundation
import Testing
@testable import ReportParser

/// A saved ASP.NET WebForms page, whose body is one form, imports as the report it shows.
@Suite("Pages wrapped in a form")
struct WebFormsPageTests {
    @Test func aReportInsideTheFormIsImported() throws {
        let html = """
            <html><head><meta charset="utf-8"><title>梅岭镇教育办2024年工作总结</title></head><body>
            <form name="form1" method="post" action="./Show.aspx?id=7" id="form1">
            <div><input type="hidden" name="__VIEWSTATE" value="abc"></div>
            <h1>梅岭镇教育办2024年工作总结</h1>
            <p>一、主要成效</p><p>改造校舍两处。</p><p>二、下一步工作</p><p>补齐音乐教师。</p>
            <div class="search">站内搜索：<input type="text" name="kw"><input type="submit" value="搜索"></div>
            </form></body></html>
            """
        let reports = try ReportParser.parse(data: Data(html.utf8), fileName: "show.aspx.html")
        #expect(reports.map(\.title) == ["梅岭镇教育办2024年工作总结"])
        #expect(reports.first?.sections.map(\.label) == ["", "一、", "二、"])
        #expect(reports.first?.sections.map(\.text) == ["", "一、主要成效\n改造校舍两处。", "二、下一步工作\n补齐音乐教师。"])
    }
}
