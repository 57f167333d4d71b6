import Testing
@testable import ReportParser

/// An edited report is its title line, then its text: a text that lost the title line or everything after it is
/// refused, not read as a report titled by a heading or with no sections.
@Suite("Edited report texts")
struct EditedReportTests {
    @Test func aTitleAndTextIsOneReport() throws {
        let report = try EditedReport.parse("西城区教育局工作总结\n\n开篇的话。\n\n一、师资建设\n招聘教师二十名。\n")
        #expect(report.title == "西城区教育局工作总结")
        #expect(report.sections.map(\.heading) == ["", "师资建设"])
    }

    @Test func aHeadingOnTheFirstLineIsAMissingTitle() {
        #expect(throws: ReportParserError(.titleLineMissing, fileName: "the edited text", detail: "“一、师资建设”")) {
            try EditedReport.parse("\n一、师资建设\n招聘教师二十名。\n")
        }
        #expect(throws: ReportParserError(.titleLineMissing, fileName: "x.txt", detail: "“（二）校舍”")) {
            try EditedReport.parse("（二）校舍\n", name: "x.txt")
        }
        let message = ReportParserError(.titleLineMissing, fileName: "the edited text", detail: "“一、师资建设”").description
        #expect(message == "the edited text has no title line: its first line, “一、师资建设”, is a heading; put the report's title on the first line, above it.")
    }

    @Test func aTitleWithNothingAfterItHasNoSections() {
        #expect(throws: ReportParserError(.noSections, fileName: "the edited text")) {
            try EditedReport.parse("西城区教育局工作总结\n\n  \n")
        }
        #expect(throws: ReportParserError(.emptyFile, fileName: "the edited text", detail: "it has no title line")) {
            try EditedReport.parse(" \n")
        }
    }

    @Test func titlesThatStartWithAYearAreTitles() throws {
        #expect(try EditedReport.parse("2024年教育局工作总结\n正文。\n").title == "2024年教育局工作总结")
        #expect(try EditedReport.parse("第3篇 县教育局2022年工作总结\n正文。\n").title == "第3篇 县教育局2022年工作总结")
    }
}
