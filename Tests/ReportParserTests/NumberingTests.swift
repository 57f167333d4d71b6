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

    @Test func aShortNumberedListIsNotChunkNumbers() throws {
        let text = "区教育局工作计划\n\n1、加强领导\n2、完善制度\n3、落实责任\n4、强化考核\n"
        #expect(try Self.labels(text) == ["1、", "2、", "3、", "4、"])
    }
}
