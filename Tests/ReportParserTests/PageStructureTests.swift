import Testing
@testable import ReportParser

/// The structural rules behind the newer forms, each on a small page: what makes a line a report
/// marker, a page title, a subtitle, an unnumbered heading or a list of links, and what does not.
@Suite("Page structure")
struct PageStructureTests: ParsesSmallText {
    static func headings(_ report: ParsedReport) -> [String] {
        report.sections.dropFirst().map { $0.label + $0.heading }
    }

    // MARK: - A bare number after the title

    @Test func titlesNumberedInSequenceStartReports() throws {
        let text = "学校工作计划1\n正文一。\n一、目标\n学校工作计划2\n正文二。\n一、措施\n学校工作计划 3\n正文三。\n"
        #expect(try Self.parse(text).map(\.title) == ["学校工作计划1", "学校工作计划2", "学校工作计划 3"])
        let traditional = "教學工作總結一\n本學期教學工作穩中有進。\n一、常規\n教學工作總結二\n一、教研\n"
        #expect(try Self.parse(traditional).map(\.title) == ["教學工作總結一", "教學工作總結二"])
    }

    @Test func numberedTitlesOutOfSequenceAreText() throws {
        let text = "县教育局工作计划\n\n正文。\n学校工作计划2\n正文二。\n学校工作计划3\n正文三。\n"
        let reports = try Self.parse(text)
        #expect(reports.map(\.title) == ["县教育局工作计划"])
        #expect(reports.first?.sections[0].text.contains("学校工作计划2") == true)
    }

    @Test func aNumberThatIsPartOfTheTitleIsNoMarker() {
        #expect(ReportMarker.parse("县教育局2023年工作总结") == nil)
        #expect(ReportMarker.parse("工作总结2023") == nil)
        #expect(ReportMarker.parse("我们完成了三项计划") == nil)
        #expect(ReportMarker.parse("一、工作计划1") == nil)
        #expect(ReportMarker.parse("教学工作总结十二") == .numberedTitle(bare: "教学工作总结", number: 12))
        #expect(ReportMarker.parse("教学工作总结 2") == .numberedTitle(bare: "教学工作总结", number: 2))
    }

    // MARK: - Page titles, subtitles and lists of links

    @Test func aSubtitleIsNotTheTitle() throws {
        let text = "全县教育工作会议报告\n——在全县教育工作会议上的报告\n\n同志们：\n一、回顾\n正文。\n二、任务\n正文。\n"
        let report = try #require(try Self.parse(text).first)
        #expect(report.title == "全县教育工作会议报告")
        #expect(report.sections[0].text == "——在全县教育工作会议上的报告\n同志们：")
    }

    @Test func titlesListedAfterSiteChromeAreLinks() throws {
        let text = "学校工作总结\n\n正文。\n一、成绩\n正文。\n\n相关推荐\n学校工作计划\n学校安全工作总结\n"
        let reports = try Self.parse(text)
        #expect(reports.map(\.title) == ["学校工作总结"])
        #expect(reports.first?.sections.last?.text == "一、成绩\n正文。")
    }

    // MARK: - Headings without numbers

    @Test func openingAndClosingHeadingsWithoutNumbers() throws {
        let text = "县教育局工作总结\n\n前言\n一年来，我们做了大量工作。\n一、成绩\n正文。\n二、不足\n正文。\n结语\n新的一年，我们将继续努力。\n"
        let report = try #require(try Self.parse(text).first)
        #expect(Self.headings(report) == ["前言", "一、成绩", "二、不足", "结语"])
        #expect(report.sections.map(\.level) == [0, 1, 1, 1, 1])
    }

    @Test func shortLinesInTheBodyStayText() throws {
        // Between numbered sections, a signature and a date at the end, a line not followed by a paragraph.
        let text = "县教育局工作总结\n\n一、成绩\n正文。\n其中农村学校十二所\n全县共有学校四十六所，比去年增加两所。\n"
            + "二、不足\n正文。\n县教育局\n二〇二三年十二月\n"
        let report = try #require(try Self.parse(text).first)
        #expect(Self.headings(report) == ["一、成绩", "二、不足"])
    }

    @Test func aBylineUnderTheTitleIsNoHeading() throws {
        let text = "县教育局工作总结\n\n城关镇中心学校\n一年来，我们做了大量工作。\n一、成绩\n正文。\n二、不足\n正文。\n"
        let report = try #require(try Self.parse(text).first)
        #expect(Self.headings(report) == ["一、成绩", "二、不足"])
        #expect(report.sections[0].text == "城关镇中心学校\n一年来，我们做了大量工作。")
    }

    @Test func noUnnumberedHeadingWhereNumberedHeadingsRunIntoTheirText() throws {
        let text = "县教育局工作总结\n\n一、成绩。全年完成各项任务。\n二、不足。教师结构不合理。\n工作展望\n新的一年，我们将继续努力。\n"
        let report = try #require(try Self.parse(text).first)
        #expect(Self.headings(report) == ["一、成绩", "二、不足"])
    }

    /// Headlines run into their text give no heading alone on a line to go by; an opening and a closing phrase
    /// confirm each other (the test above keeps one alone as text).
    @Test func anOpeningAndAClosingHeadingAroundHeadlines() throws {
        let text = """
            某县教育局2023年工作总结

            引言
            这一年，全县教育系统迎难而上，各项工作取得新的进展。
            一、校园建设：新建扩建齐头并进。新建学校两所。
            二、课后服务：实现全覆盖。参与学生九千余人。
            三、队伍建设：结构持续优化。招聘教师一百二十名。
            结束语
            新的一年，我们将继续努力，办好人民满意的教育。
            """
        let report = try #require(try Self.parse(text).first)
        #expect(Self.headings(report) == ["引言", "一、校园建设：新建扩建齐头并进", "二、课后服务：实现全覆盖",
                                          "三、队伍建设：结构持续优化", "结束语"])
        #expect(report.sections.map(\.level) == [0, 1, 1, 1, 1, 1])
        #expect(report.sections[4].text == "三、队伍建设：结构持续优化。招聘教师一百二十名。")
        #expect(report.sections[5].text == "结束语\n新的一年，我们将继续努力，办好人民满意的教育。")
    }

    @Test func aLongerLineIsNoUnnumberedHeading() throws {
        let text = "县教育局工作总结\n\n一、成绩\n正文。\n二、不足\n正文。\n这项工作十分重要而且紧迫\n新的一年，我们将继续努力。\n"
        let report = try #require(try Self.parse(text).first)
        #expect(Self.headings(report) == ["一、成绩", "二、不足"])
    }

    // MARK: - Numbering inside a line

    @Test func anOutlineThatStartsInsideAParagraph() throws {
        let confirmed = "县教育局工作总结\n\n现总结如下。一、调研 全年调研六百节。二、竞赛 举办优质课评比。\n"
        #expect(Self.headings(try #require(try Self.parse(confirmed).first)) == ["一、调研", "二、竞赛"])
        let alone = "县教育局工作总结\n\n现总结如下。一、调研 全年调研六百节。\n"
        #expect(Self.headings(try #require(try Self.parse(alone).first)) == [])
        // A 二 under another heading does not confirm it.
        let elsewhere = "县教育局工作总结\n\n现总结如下。（一）调研 全年调研六百节。\n一、成绩\n（一）甲\n（二）乙\n二、不足\n"
        #expect(Self.headings(try #require(try Self.parse(elsewhere).first)) == ["一、成绩", "（一）甲", "（二）乙", "二、不足"])
    }

    @Test func aLevelOpenedInsideAParagraphGoesOnAtALineStart() throws {
        let heading = "学校工作总结\n\n一、常规管理 坚持每月检查。1.备课检查。重点查教案。\n2.作业检查。全批全改。\n二、教研\n"
        #expect(Self.headings(try #require(try Self.parse(heading).first)) == ["一、常规管理", "1.备课检查", "2.作业检查", "二、教研"])
        let list = "学校工作总结\n\n一、重点工程\n三是求突破。(1)推进工程建设。投入十亿元。(2)狠抓安全管理。\n二、教研\n"
        #expect(Self.headings(try #require(try Self.parse(list).first)) == ["一、重点工程", "二、教研"])
    }

    @Test func aLabelRightAfterALinesHeadingOpensItsFirstChild() throws {
        let text = "县教育局工作要点\n\n第一部分 目标 全面提高质量。\n第二部分 任务 一、推进学前教育 新建幼儿园三所。\n二、推进均衡发展\n"
        let report = try #require(try Self.parse(text).first)
        #expect(Self.headings(report) == ["第一部分目标", "第二部分任务", "一、推进学前教育", "二、推进均衡发展"])
        #expect(report.sections.map(\.level) == [0, 1, 1, 2, 2])
    }
}
