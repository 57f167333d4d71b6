import Testing
@testable import ReportParser

/// What a PDF or word-processor export leaves in a report's text: page numbers and a table of contents with leader dots.
@Suite("Printed documents")
struct PrintedDocumentTests: ParsesSmallText {
    static func headings(_ report: ParsedReport) -> [String] {
        report.sections.dropFirst().map { $0.label + $0.heading }
    }

    // MARK: - Page numbers

    @Test func pageNumbersBetweenParagraphsAreDropped() throws {
        let text = """
            某镇教育办2023年工作总结

            一、办学条件
            中心小学新建食堂一座，
            改造操场一处。

            — 1 —

            二、教师培训
            全年培训教师二百人次。
            第2页 共3页
            - 3 -
            """
        let report = try #require(try Self.parse(text).first)
        #expect(Self.headings(report) == ["一、办学条件", "二、教师培训"])
        #expect(report.sections.map(\.text) == ["", "一、办学条件\n中心小学新建食堂一座，\n改造操场一处。", "二、教师培训\n全年培训教师二百人次。"])
    }

    @Test(arguments: ["— 12 —", "－3－", "- 3 -", "第3页 共8页", "第 3 页，共 8 页", "共8页 第3页", "第3頁/共8頁"])
    func pageNumberLinesAreChrome(line: String) {
        #expect(FurnitureRules.standard.match(line)?.role == .chrome)
    }

    /// What must not change: numbers and pages named in a sentence, a year range, a label numbered 3.
    @Test(arguments: ["3", "2023—2024", "第3页表格列出了各校数据。", "共8页的调研报告已印发。", "3.加强督导", "— 摘自县志 —"])
    func linesNamingPagesAreText(line: String) {
        #expect(FurnitureRules.standard.match(line) == nil)
    }

    // MARK: - A table of contents

    @Test func aContentsListWithLeaderDotsIsDroppedAndTheOutlineReadOnce() throws {
        let text = """
            某县教育局2023年工作总结

            目  录
            一、基本情况………………………1
            二、主要成绩......................3
            三、下步打算·········5

            一、基本情况
            全县有学校四十所。
            二、主要成绩
            新增学位一千个。
            三、下步打算
            继续扩大学位供给。
            """
        let report = try #require(try Self.parse(text).first)
        #expect(Self.headings(report) == ["一、基本情况", "二、主要成绩", "三、下步打算"])
        #expect(report.sections[0].text == "")
        #expect(report.sections[1].text == "一、基本情况\n全县有学校四十所。")
    }

    /// What must not change: an ellipsis inside a sentence, a heading that ends in a number, a price list.
    @Test(arguments: ["全县学校增加了……共计12", "一、完成项目12", "三、“十四五”规划……", "新建学校……共3所。"])
    func ellipsesInTextAreNotContents(line: String) {
        #expect(FurnitureRules.standard.match(line) == nil)
    }
}
