import Testing
@testable import ReportParser

/// A title set on two lines: the unit's name above what it reports.
@Suite("Titles on two lines")
struct SplitTitleTests: ParsesSmallText {
    @Test func aUnitsNameAboveTheTitleIsPartOfIt() throws {
        let text = "龙泉县教育局\n2023年工作总结\n\n全年工作稳中有进。\n一、主要工作\n新建学校三所。\n二、存在问题\n学位仍然紧张。\n"
        let reports = try Self.parse(text)
        #expect(reports.map(\.title) == ["龙泉县教育局2023年工作总结"])
        #expect(reports.first?.sections[0].text == "全年工作稳中有进。")
        let analysis = try ReportParser.analyze(text: text, fileName: "t.txt")
        #expect(analysis.classification.roles[0] == .title(report: 0))
    }

    /// What must not change: a site's name above a title naming its own unit, a breadcrumb or slogan above the title
    /// (not a unit's name), a unit's name after a line of text.
    @Test func otherLinesAboveATitleStayApart() throws {
        #expect(try Self.parse("龙泉县教育局\n龙泉县教育局2023年工作总结\n\n一、主要工作\n新建学校三所。\n").map(\.title)
                == ["龙泉县教育局2023年工作总结"])
        #expect(try Self.parse("办人民满意教育\n2023年工作总结\n\n一、主要工作\n新建学校三所。\n").map(\.title)
                == ["2023年工作总结"])
        #expect(try Self.parse("全县教育工作稳步推进。\n县教育局\n2023年工作总结\n\n一、主要工作\n新建学校三所。\n").map(\.title)
                == ["2023年工作总结"])
    }
}
