import Testing
@testable import ReportParser

/// A short document copied without its line breaks is read like a long one: split by its outline, not refused.
@Suite("Short flattened pages")
struct FlattenedTextTests {
    /// About 230 characters, well under `FlattenedText.longLine`: the title, an introduction, two headings with
    /// children and a closing signature, run together with spaces.
    static let body = "今年我局围绕“办好家门口的学校”目标，扎实推进重点工作。具体情况如下： 一、重点工作 （一）扩充学位。"
        + "新建小学两所，新增学位一千八百个。 （二）提升师资。组织教师跟岗研修三百二十人次。 二、不足与打算 "
        + "农村学校音乐教师仍然短缺。 （一）补齐短板。明年定向招聘音乐教师十五名。（二）深化改革。推行集团化办学。 "
        + "某区教育局 2024年1月8日"
    static let title = "某区教育局2023年工作总结"

    static let expectedOutline: [(level: Int, label: String, heading: String)] = [
        (1, "一、", "重点工作"), (2, "（一）", "扩充学位"), (2, "（二）", "提升师资"),
        (1, "二、", "不足与打算"), (2, "（一）", "补齐短板"), (2, "（二）", "深化改革"),
    ]

    static func outline(_ report: ParsedReport) -> [String] {
        report.sections.dropFirst().map { "\($0.level) \($0.label) \($0.heading)" }
    }

    static var expected: [String] { expectedOutline.map { "\($0.level) \($0.label) \($0.heading)" } }

    @Test func aShortPageOnOneLineIsSplitByItsOutline() throws {
        #expect((Self.title + " " + Self.body).unicodeScalars.count < FlattenedText.longLine)
        let reports = try ReportParser.parse(text: Self.title + " " + Self.body + "\n", fileName: "p.txt")
        let report = try #require(reports.first)
        #expect(reports.count == 1)
        #expect(report.title == Self.title)
        #expect(Self.outline(report) == Self.expected)
        #expect(report.sections[0].text == "今年我局围绕“办好家门口的学校”目标，扎实推进重点工作。具体情况如下：")
        #expect(report.sections[2].text == "（一）扩充学位。新建小学两所，新增学位一千八百个。")
        #expect(report.sections[4].text == "二、不足与打算 农村学校音乐教师仍然短缺。")
        #expect(report.sections[6].text == "（二）深化改革。推行集团化办学。 某区教育局 2024年1月8日")
    }

    @Test func aTitleOnItsOwnLineOverAFlattenedBodyGivesTheSameTree() throws {
        let reports = try ReportParser.parse(text: Self.title + "\n\n" + Self.body + "\n", fileName: "p.txt")
        let report = try #require(reports.first)
        #expect(reports.count == 1)
        #expect(report.title == Self.title)
        #expect(Self.outline(report) == Self.expected)
    }

    /// One label in a short paragraph is a mention, not an outline; nor is a list inside the sentences.
    @Test(arguments: [
        "全区继续开展“双减”督查，已在 一、二年级全面取消书面作业，效果明显。",
        "会议强调了三点：一、提高站位；二、压实责任；三、强化督导。",
        "今年重点推进 一、课后服务提质工作，各校均已制定方案。",
    ])
    func aParagraphMentioningALabelIsNotAnOutline(paragraph: String) {
        #expect(!FlattenedText.holdsOutline(paragraph), "\(paragraph)")
        #expect(!FlattenedText.isFlattened(paragraph), "\(paragraph)")
    }

    @Test func aShortReportWhoseParagraphMentionsOneLabelStaysAsItWas() throws {
        let text = "某镇中心校2023年工作小结\n\n本年度我校重点抓了 一、校舍改造工作，已全部完工，师生反映良好。\n"
        let report = try #require(try ReportParser.parse(text: text, fileName: "p.txt").first)
        #expect(report.sections.count == 1)
        #expect(report.sections[0].text == "本年度我校重点抓了 一、校舍改造工作，已全部完工，师生反映良好。")
    }

    @Test func aShortLineWithoutAnOutlineIsStillNoReport() {
        let text = "某区教育局2023年工作总结 今年各项工作进展顺利，群众满意度稳步提高，圆满完成了年初确定的目标任务。\n"
        #expect(throws: ReportParserError(.noReportFound, fileName: "p.txt")) {
            try ReportParser.parse(text: text, fileName: "p.txt")
        }
    }
}
