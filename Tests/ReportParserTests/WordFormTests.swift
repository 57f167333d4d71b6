import Testing
@testable import ReportParser

/// Numbering forms of pages converted from Word documents: parenthesized digits `⑴`, a number closed by a parenthesis
/// only `1）`, circled numbers `①`, Roman numerals `Ⅰ、`; and the body text that must stay text (`①号楼`, `1)` inside a
/// sentence, a lone `③`, `Ⅱ型`).
@Suite("Word's numbering forms")
struct WordFormTests: ParsesSmallText {
    static func label(_ line: String) -> (HeadingLabel.Kind, String, String, Int)? {
        HeadingLabel.parse(line).map { ($0.kind, $0.label, $0.heading, $0.number) }
    }

    // MARK: - Parenthesized digits ⑴ … ⒇

    @Test func parenthesizedDigitsAreTheLevelOfParenthesizedNumbers() {
        #expect(Self.label("⑴集体备课")! == (.parenArabic, "⑴", "集体备课", 1))
        #expect(Self.label("⑵ 作业检查")! == (.parenArabic, "⑵", "作业检查", 2))
        #expect(Self.label("⒇、听课评课")! == (.parenArabic, "⒇、", "听课评课", 20))
        #expect(Self.label("⑶\t听课评课")! == (.parenArabic, "⑶", "听课评课", 3))
        #expect(Self.label("⑶ 二次备课")! == (.parenArabic, "⑶", "二次备课", 3))
        #expect(HeadingLabel.parse("⑴集体备课")?.level == HeadingLabel.parse("（1）集体备课")?.level)
    }

    @Test func parenthesizedDigitsBeforeANumberOrACountAreText() {
        for line in ["⑴", "⑷号教室为固定研讨地点。", "⑵ 3 所学校", "⑶2024年9月完成", "⑵年级组长负责", "⑴⑵⑶"] {
            #expect(HeadingLabel.parse(line) == nil, "\(line)")
        }
    }

    @Test func parenthesizedDigitsNestWhereParenthesizedNumbersDo() throws {
        let text = "县第二中学2024年教学常规工作总结\n\n一、常规管理\n（一）备课\n1.集体备课\n⑴确定主备人\n⑵研讨修改\n2.个人备课\n"
            + "（二）作业\n⑴总量控制\n"
        let report = try #require(try Self.parse(text).first)
        #expect(report.sections.map(\.label) == ["", "一、", "（一）", "1.", "⑴", "⑵", "2.", "（二）", "⑴"])
        #expect(report.sections.map(\.level) == [0, 1, 2, 3, 4, 4, 3, 2, 4])
        #expect(report.sections.map(\.parentIndex) == [nil, 0, 1, 2, 3, 3, 2, 1, 7])
    }

    // MARK: - A number closed by a parenthesis only: 1） 1)

    @Test func aNumberClosedByAParenthesisIsALabel() {
        #expect(Self.label("1）集体备课")! == (.closeParenArabic, "1）", "集体备课", 1))
        #expect(Self.label("2) 作业检查")! == (.closeParenArabic, "2)", "作业检查", 2))
        #expect(Self.label("１２）听课评课")! == (.closeParenArabic, "１２）", "听课评课", 12))
        #expect(Self.label("3)\t听课评课")! == (.closeParenArabic, "3)", "听课评课", 3))
        #expect(HeadingLabel.parse("1）集体备课")?.level == 5)
    }

    @Test func numbersClosedByAParenthesisInTextAreNoLabels() {
        for line in ["1）", "3）个班级参加展示。", "2) 3 所学校", "0）未分类", "2023）年度", "1)2)3)", "5）月份完成",
                     "2）2024年9月完成评比"] {
            #expect(HeadingLabel.parse(line) == nil, "\(line)")
        }
        // Still the forms they were.
        #expect(HeadingLabel.parse("（1）集体备课")?.kind == .parenArabic)
        #expect(HeadingLabel.parse("1.集体备课")?.kind == .arabic)
    }

    @Test func aNumberClosedByAParenthesisGoesUnderTheLevelOpenAboveIt() throws {
        // Under 1. when 1） follows it, under （1） when it follows that: the document's order says which.
        let text = "县实验小学2024年教研工作总结\n\n一、课堂教学\n1.推进单元教学\n1）制定单元规划\n2) 开展单元展示\n"
            + "2.改进作业设计\n（1）分层作业\n1）基础题\n2）拓展题\n（2）作业公示\n"
        let report = try #require(try Self.parse(text).first)
        #expect(report.sections.map(\.label) == ["", "一、", "1.", "1）", "2)", "2.", "（1）", "1）", "2）", "（2）"])
        #expect(report.sections.map(\.level) == [0, 1, 3, 5, 5, 3, 4, 5, 5, 4])
        #expect(report.sections.map(\.parentIndex) == [nil, 0, 1, 2, 2, 1, 5, 6, 6, 5])
    }

    @Test func aNumberClosedByAParenthesisHeadsOnlyAtALineStartInItsRun() throws {
        let text = "县实验小学2024年教研工作总结\n\n一、课堂教学\n3）教室改作录播室。\n1）制定单元规划\n"
            + "展示分两轮：1）校内初评；2）区级复评。\n全年完成规划。2）开展单元展示\n4）组织评比\n2）开展单元展示\n"
        let report = try #require(try Self.parse(text).first)
        #expect(report.sections.map(\.label) == ["", "一、", "1）", "2）"])
        #expect(report.sections[1].text == "一、课堂教学\n3）教室改作录播室。")
        #expect(report.sections[2].text
            == "1）制定单元规划\n展示分两轮：1）校内初评；2）区级复评。\n全年完成规划。2）开展单元展示\n4）组织评比")
    }

    // MARK: - Circled numbers ① … ⑳

    @Test func circledNumbersAreLabels() {
        #expect(Self.label("①集体备课")! == (.circled, "①", "集体备课", 1))
        #expect(Self.label("② 作业检查")! == (.circled, "②", "作业检查", 2))
        #expect(Self.label("⑳、听课评课")! == (.circled, "⑳、", "听课评课", 20))
        #expect(Self.label("①人才引进")! == (.circled, "①", "人才引进", 1))
        #expect(Self.label("③三年行动计划")! == (.circled, "③", "三年行动计划", 3))
        #expect(HeadingLabel.parse("①集体备课")?.level == 6)
    }

    @Test func circledNumbersBeforeANumberOrACountAreText() {
        for line in ["①", "③、", "①号楼于九月交付使用。", "②栋宿舍完成改造。", "② 3 个班级", "①②③", "④ 2024年9月"] {
            #expect(HeadingLabel.parse(line) == nil, "\(line)")
        }
    }

    @Test func circledNumbersAreTheDeepestLevel() throws {
        let text = "县教育局2024年校园安全工作总结\n\n一、安全教育\n（一）专题教育\n1.防溺水教育\n（1）专题课\n1）低年级\n①看视频\n"
            + "②讲案例\n二、隐患排查\n①校舍排查\n"
        let report = try #require(try Self.parse(text).first)
        #expect(report.sections.map(\.label) == ["", "一、", "（一）", "1.", "（1）", "1）", "①", "②", "二、", "①"])
        #expect(report.sections.map(\.level) == [0, 1, 2, 3, 4, 5, 6, 6, 1, 6])
        #expect(report.sections.map(\.parentIndex) == [nil, 0, 1, 2, 3, 4, 5, 5, 0, 8])
    }

    @Test func circledNumbersHeadOnlyAtALineStartInTheirRunFromOne() throws {
        // A lone ③ before any ①, a ④ after ②, a ① inside a sentence and one after a sentence end stay text.
        let text = "县教育局2024年校园安全工作总结\n\n一、安全教育\n③食堂改造已完成。\n①防溺水教育\n②交通安全教育\n④消防演练\n"
            + "具体做法见①，不再赘述。\n全年开展演练四次。①疏散演练\n③消防演练\n"
        let report = try #require(try Self.parse(text).first)
        #expect(report.sections.map(\.label) == ["", "一、", "①", "②", "③"])
        #expect(report.sections[1].text == "一、安全教育\n③食堂改造已完成。")
        #expect(report.sections[3].text == "②交通安全教育\n④消防演练\n具体做法见①，不再赘述。\n全年开展演练四次。①疏散演练")
    }

    // MARK: - Roman numerals Ⅰ … Ⅻ

    @Test func romanNumeralsAreLabels() {
        #expect(Self.label("Ⅰ、工作回顾")! == (.roman, "Ⅰ、", "工作回顾", 1))
        #expect(Self.label("Ⅱ. 主要成绩")! == (.roman, "Ⅱ.", "主要成绩", 2))
        #expect(Self.label("Ⅲ 存在问题")! == (.roman, "Ⅲ", "存在问题", 3))
        #expect(Self.label("Ⅻ．附则")! == (.roman, "Ⅻ．", "附则", 12))
    }

    @Test func romanNumeralsRunIntoAWordOrBeforeANumberAreText() {
        for line in ["Ⅱ型糖尿病防控知识进校园。", "Ⅲ级应急响应解除。", "Ⅰ、", "Ⅱ、3 所学校", "Ⅳ 期工程开工", "ⅠⅡ"] {
            #expect(HeadingLabel.parse(line) == nil, "\(line)")
        }
    }

    @Test func romanNumeralsAreTheTopLevel() throws {
        let text = "县教育局2024年工作报告\n\nⅠ、工作回顾\n一、学前教育\n（一）普惠园建设\n二、义务教育\nⅡ、工作打算\n一、优化学校布局\n"
        let report = try #require(try Self.parse(text).first)
        #expect(report.sections.map(\.label) == ["", "Ⅰ、", "一、", "（一）", "二、", "Ⅱ、", "一、"])
        #expect(report.sections.map(\.level) == [0, 1, 2, 3, 2, 1, 2])
        #expect(report.sections.map(\.parentIndex) == [nil, 0, 1, 2, 1, 0, 5])
    }

    @Test func romanNumeralsHeadOnlyAtALineStartInTheirRunFromOne() throws {
        // A Ⅲ、 after Ⅰ、, and a Ⅱ. run into the sentence before it, stay text.
        let text = "县教育局2024年工作报告\n\nⅠ、工作回顾\nⅢ、存在的问题\n全年任务全部完成。Ⅱ. 工作打算\nⅡ、工作打算\n"
        let report = try #require(try Self.parse(text).first)
        #expect(report.sections.map(\.label) == ["", "Ⅰ、", "Ⅱ、"])
        #expect(report.sections[1].text == "Ⅰ、工作回顾\nⅢ、存在的问题\n全年任务全部完成。Ⅱ. 工作打算")
    }

    @Test func aShortLineOfCircledNumbersIsNoFlattenedOutline() {
        #expect(!FlattenedText.holdsOutline("① 看视频 ② 讲案例"))
        #expect(!FlattenedText.holdsOutline("1） 看视频 2） 讲案例"))
    }
}
