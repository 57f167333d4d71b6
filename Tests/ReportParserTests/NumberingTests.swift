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

    @Test func aShortNumberedListIsNotChunkNumbers() throws {
        let text = "区教育局工作计划\n\n1、加强领导\n2、完善制度\n3、落实责任\n4、强化考核\n"
        #expect(try Self.labels(text) == ["1、", "2、", "3、", "4、"])
    }
}
