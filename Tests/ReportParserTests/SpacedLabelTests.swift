import Testing
@testable import ReportParser

/// Labels with a space before their mark (`一 、`), as PDF extraction leaves them.
@Suite("Spaced labels")
struct SpacedLabelTests: ParsesSmallText {
    @Test func chineseLabelsWithASpaceBeforeTheirMarkAreHeadings() throws {
        let text = "某县教育局2023年工作总结\n\n一 、学校建设\n新建学校两所。\n二 、 教育质量\n（ 一 ） 义务教育\n统考成绩稳中有升。\n三 、教师队伍\n招聘教师98名。\n"
        let report = try #require(try Self.parse(text).first)
        #expect(report.sections.map(\.label) == ["", "一 、", "二 、", "（ 一 ）", "三 、"])
        #expect(report.sections.map(\.heading) == ["", "学校建设", "教育质量", "义务教育", "教师队伍"])
        #expect(report.sections.map(\.level) == [0, 1, 1, 2, 1])
    }

    /// What must not change: a numeral and a mark set apart by more than a stray space, a numeral in prose.
    @Test func spacedNumeralsInProseAreNoLabels() {
        #expect(HeadingLabel.parse("一   、学校建设") == nil)
        #expect(HeadingLabel.parse("一 是加强学习") == nil)
        #expect(HeadingLabel.parse("三 四年级学生") == nil)
    }
}
