import Testing
@testable import ReportParser

@Suite("Numbering continuity")
struct NumberingTests {
    static func labels(_ text: String) throws -> [String] {
        try ReportParser.parse(text: text, fileName: "t.txt")[0].sections.dropFirst().map(\.label)
    }

    @Test func restartThatTheSequenceDoesNotConfirmIsText() throws {
        let text = "区教育局工作总结\n\n一、回顾\n正文。\n二、成绩\n一、这一行只是列举\n三、打算\n"
        #expect(try Self.labels(text) == ["一、", "二、", "三、"])
    }

    @Test func restartFollowedByTwoIsANewOutline() throws {
        let text = "区教育局工作总结和工作计划\n\n一、回顾\n二、成绩\n三、不足\n一、目标\n二、措施\n"
        #expect(try Self.labels(text) == ["一、", "二、", "三、", "一、", "二、"])
    }

    @Test func inlineLabelThatDoesNotContinueStaysText() throws {
        let text = "区教育局工作总结\n\n一、回顾\n全年完成任务。三、这不是下一个标题\n二、打算\n"
        #expect(try Self.labels(text) == ["一、", "二、"])
    }

    @Test func aNumberRangeAtALineStartIsText() throws {
        let text = """
        区教育局工作总结

        一、学校建设
        新建学校3所。
        二、课后服务
        课后服务实现全覆盖。
        三、四年级学生参与率达到97%。
        三、四季度，全区新增托管点十个。
        3、4月份，全区开展了课后服务专项检查。
        三、加强队伍建设
        1、招聘教师
        5、6年级试点分层作业。
        2、培训教师
        """
        let report = try #require(try ReportParser.parse(text: text, fileName: "t.txt").first)
        #expect(report.sections.dropFirst().map(\.label) == ["一、", "二、", "三、", "1、", "2、"])
        #expect(report.sections[2].text == "二、课后服务\n课后服务实现全覆盖。\n三、四年级学生参与率达到97%。\n三、四季度，全区新增托管点十个。\n"
                + "3、4月份，全区开展了课后服务专项检查。")
        #expect(report.sections[4].text == "1、招聘教师\n5、6年级试点分层作业。")
    }

    @Test func aListRestartingInsideAnItemIsItsText() throws {
        let text = """
        区教育局工作总结

        一、推进优质均衡
        1.扩大学位供给。新建学校两所。
        2.加强课程建设。重点做好三项工作：
        1.修订区本课程纲要；
        2.建设精品课程资源库；
        3.开展课程实施质量评估。
        3.深化教学改革。推广单元整体教学。
        二、加强队伍建设
        1.招聘新教师九十名。
        """
        let report = try #require(try ReportParser.parse(text: text, fileName: "t.txt").first)
        #expect(report.sections.dropFirst().map(\.label) == ["一、", "1.", "2.", "3.", "二、", "1."])
        #expect(report.sections[3].text == "2.加强课程建设。重点做好三项工作：\n1.修订区本课程纲要；\n2.建设精品课程资源库；\n3.开展课程实施质量评估。")
        #expect(report.sections.map(\.parentIndex) == [nil, 0, 1, 1, 1, 0, 5])
    }

    @Test func aRestartWithoutAnAnnouncingColonOrWithLongItemsStaysHeadings() throws {
        // No colon before the 1.: the restart is what it was before, sections (a second list of the same level).
        let noColon = "区教育局工作总结\n\n一、回顾\n1.学前教育。\n2.义务教育。\n1.高中教育；\n2.职业教育；\n"
        #expect(try Self.labels(noColon) == ["一、", "1.", "2.", "1.", "2."])
        // A colon, but the restarted items are paragraphs, not a short list.
        let long = "推进集团化办学，组建教育集团十一个，覆盖中小学四十六所，集团内教师交流轮岗一百二十人次，校际差距明显缩小，群众对家门口好学校的满意度逐年提高。"
        let paragraphs = "区教育局工作总结\n\n一、回顾\n1.学前教育。\n2.义务教育。主要做法如下：\n1.\(long)\n2.\(long)\n"
        #expect(try Self.labels(paragraphs) == ["一、", "1.", "2.", "1.", "2."])
    }

    @Test func aShortNumberedListIsNotChunkNumbers() throws {
        let text = "区教育局工作计划\n\n1、加强领导\n2、完善制度\n3、落实责任\n4、强化考核\n"
        #expect(try Self.labels(text) == ["1、", "2、", "3、", "4、"])
    }
}
