import Testing
@testable import ReportParser

/// Section numbers set as badges (`01` alone on a line, its heading on the next), as WeChat articles set them.
@Suite("Badge numbers")
struct BadgeNumbersTests: ParsesSmallText {
    @Test func badgesOverTheirHeadingsAreTopLevelSections() throws {
        let text = """
            某区教育局2023年工作总结

            这一年，全区教育稳步向前。
            01
            学位供给持续扩大
            新建学校七所，新增学位五千个。
            02
            教育质量再创新高
            （一）高考
            特控线上线人数创新高。
            """
        let report = try #require(try Self.parse(text).first)
        #expect(report.sections.map { $0.label + "|" + $0.heading } == ["|", "01|学位供给持续扩大", "02|教育质量再创新高", "（一）|高考"])
        #expect(report.sections.map(\.level) == [0, 1, 1, 2])
        #expect(report.sections.map(\.parentIndex) == [nil, 0, 0, 2])
        #expect(report.sections[1].text == "01\n学位供给持续扩大\n新建学校七所，新增学位五千个。")
    }

    @Test func partBadgesCountToo() throws {
        let text = "某区教育局2023年工作总结\n\nPART 01\n学位供给\n新建学校七所。\nPART 02\n教育质量\n上线人数创新高。\n"
        let report = try #require(try Self.parse(text).first)
        #expect(report.sections.dropFirst().map(\.label) == ["PART 01", "PART 02"])
    }

    /// What must not change: a lone number (a page number, a table's cell), one badge alone, a number over a sentence,
    /// badges out of sequence, and numbers in a report that has its own top-level headings.
    @Test func otherLoneNumbersStayText() throws {
        func labels(_ text: String) throws -> [String] {
            try #require(try Self.parse(text).first).sections.dropFirst().map(\.label)
        }
        #expect(try labels("某区教育局工作总结\n\n01\n学位供给\n新建学校七所。\n1.教育质量\n上线人数创新高。\n") == ["1."])
        #expect(try labels("某区教育局工作总结\n\n1\n学位供给\n正文。\n2\n教育质量\n正文。\n1.小结\n") == ["1."])
        #expect(try labels("某区教育局工作总结\n\n01\n新建学校七所，新增学位五千个。\n02\n上线人数创新高。\n1.小结\n") == ["1."])
        #expect(try labels("某区教育局工作总结\n\n02\n学位供给\n正文。\n03\n教育质量\n正文。\n1.小结\n") == ["1."])
        #expect(try labels("某区教育局工作总结\n\n一、回顾\n01\n学位供给\n正文。\n02\n教育质量\n正文。\n") == ["一、"])
    }
}
