import Foundation
import Testing

@testable import ReportParser

/// Titles, labels and headings hold no control character (a revision's rules refuse one there): a tab between a
/// table row's cells, or a form feed in a text file, becomes a space in them, and a section's text keeps its tabs.
@Suite("Titles and headings on one line")
struct SingleLineNamesTests {
    @Test func aTitleInATableRowKeepsNoTab() throws {
        let page = """
            <html><head><meta charset="utf-8"></head><body>
            <table><tr><td>西川县教育局</td><td>2024年工作总结</td></tr></table>
            <p>一、概况</p><p>全年工作平稳推进。</p>
            <table><tr><td>指标</td><td>完成</td></tr></table>
            <p>二、下一步</p><p>继续推进集团化办学。</p>
            </body></html>
            """
        let text = try TextDecoding.decode(Data(page.utf8), fileName: "row-title.html")
        #expect(text.contains("西川县教育局\t2024年工作总结"), "the row is one line, its cells apart by a tab")
        let reports = try ReportParser.parse(text: text, fileName: "row-title.html")
        #expect(reports.map(\.title) == ["西川县教育局 2024年工作总结"])
        #expect(reports[0].sections.map { $0.label + $0.heading } == ["", "一、概况", "二、下一步"])
        #expect(reports[0].sections[1].text.contains("指标\t完成"), "a section's text keeps its tabs")
    }

    @Test func controlCharactersInATextFilesNamesBecomeSpaces() throws {
        let text = "东山区教育局\u{0C}2023年\t工作总结\n\n一、\t基础教育\n新建幼儿园两所。\n二、职业教育\u{0B}与成人教育\n开设培训班十期。\n"
        let reports = try ReportParser.parse(text: text, fileName: "controls.txt")
        #expect(reports.map(\.title) == ["东山区教育局 2023年 工作总结"])
        for section in reports[0].sections {
            #expect(!(section.label + section.heading).unicodeScalars.contains { $0.value < 0x20 }, "\(section.heading)")
        }
        let edited = try EditedReport.parse("东山区\t教育局2023年工作总结\n\n一、基础教育\n新建幼儿园两所。\n")
        #expect(edited.title == "东山区 教育局2023年工作总结")
    }
}
