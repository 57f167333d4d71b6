import Testing
@testable import ReportParser

@Suite("Heading labels and section nesting")
struct HeadingTests {
    static func label(_ line: String) -> (Int, String, String)? {
        HeadingLabel.parse(line).map { ($0.level, $0.label, $0.heading) }
    }

    @Test func levels() {
        #expect(Self.label("一、亮点和特色工作")! == (1, "一、", "亮点和特色工作"))
        #expect(Self.label("十一、加强教职工岗位练兵工作。工会参与")! == (1, "十一、", "加强教职工岗位练兵工作"))
        #expect(Self.label("二十三、其他")! == (1, "二十三、", "其他"))
        #expect(Self.label("（一）健全一个网络，增强教育宣传合力")! == (2, "（一）", "健全一个网络，增强教育宣传合力"))
        #expect(Self.label("1.提升学前教育整体水平。早谋划")! == (3, "1.", "提升学前教育整体水平"))
        #expect(Self.label("12、做好工作")! == (3, "12、", "做好工作"))
        #expect(Self.label("３．全角数字")! == (3, "３．", "全角数字"))
        #expect(Self.label("（1）全力推进重点工程建设")! == (4, "（1）", "全力推进重点工程建设"))
        #expect(Self.label("(2)半角")! == (4, "(2)", "半角"))
    }

    @Test func moreLabelForms() {
        #expect(Self.label("一.党建引领")! == (1, "一.", "党建引领"))
        #expect(Self.label("二．后勤保障")! == (1, "二．", "后勤保障"))
        #expect(Self.label("1 、新建公办园三所。")! == (3, "1 、", "新建公办园三所"))
        #expect(Self.label("第一部分 2023年工作回顾")! == (0, "第一部分", "2023年工作回顾"))
        #expect(Self.label("第三章：总则")! == (0, "第三章", "总则"))
        #expect(HeadingLabel.parse("第二节 课堂教学")?.kind == .subpart)
        #expect(HeadingLabel.parse("十二、其他")?.number == 12)
        #expect(HeadingLabel.parse("（二十一）其他")?.number == 21)
        for line in ["第一节课上，老师提问。", "一.5倍", "1 .5", "第1篇 县教育局工作总结"] {
            #expect(HeadingLabel.parse(line).map { $0.kind == .part || $0.kind == .subpart } != true, "\(line)")
        }
        #expect(HeadingLabel.parse("一.5倍") == nil)
        // A preview's chunk number before the document's own label is a label, not a decimal.
        #expect(Self.label("3、2.作业检查。")! == (3, "3、", "2.作业检查"))
    }

    @Test func fullAndHalfWidthParentheses() {
        #expect(Self.label("(二)高考取得突破性成果。文理科")! == (2, "(二)", "高考取得突破性成果"))
        #expect(Self.label("（三)混合括号")! == (2, "（三)", "混合括号"))
        #expect(Self.label("(四）混合括号")! == (2, "(四）", "混合括号"))
        #expect(Self.label("（ 五 ）带空格")! == (2, "（ 五 ）", "带空格"))
    }

    @Test func leadingWhitespace() {
        #expect(Self.label("\u{3000}\u{3000}（一）立德树人成效影响力持续扩大")! == (2, "（一）", "立德树人成效影响力持续扩大"))
        #expect(Self.label("  二、xxxx年工作计划")! == (1, "二、", "xxxx年工作计划"))
        #expect(Self.label("\u{00A0}3、做好规划")! == (3, "3、", "做好规划"))
    }

    @Test func headingFollowedByBodyOnSameLine() {
        #expect(Self.label("一、2011年工作回顾 过去的一年，在市委")!.2 == "2011年工作回顾")
        #expect(Self.label("一、回顾\u{3000}过去的一年")!.2 == "回顾")
        #expect(Self.label("三、主要工作：一是加强学习")!.2 == "主要工作")
        #expect(Self.label("三、主要工作：")!.2 == "主要工作：")
        #expect(Self.label("四、 加快中小学师资队伍建设的步伐，实施“跨世纪园丁工程”取得新的进展。 ")!.2
                == "加快中小学师资队伍建设的步伐，实施“跨世纪园丁工程”取得新的进展")
        #expect(Self.label("五、推广Office 365应用 全面铺开")!.2 == "推广Office 365应用")
        #expect(Self.label("3、广泛开展活动，促进了 “三大活动”和学习实践科学发展观深入开展")!.2
                == "广泛开展活动，促进了 “三大活动”和学习实践科学发展观深入开展")
        #expect(Self.label("七、发掘整理文化资源 ,为发展旅游产业打基础")!.2 == "发掘整理文化资源 ,为发展旅游产业打基础")
        let long = String(repeating: "很", count: 80)
        #expect(Self.label("六、\(long)")!.2.count == 60)
    }

    /// A topic, a colon and a short headline closed by a full stop are the heading; the text follows.
    @Test(arguments: [
        ("一、校园建设：新建扩建齐头并进。全年新建学校两所。", "校园建设：新建扩建齐头并进"),
        ("（二）课后服务：实现全覆盖！参与学生九万余人。", "课后服务：实现全覆盖"),
        ("3.队伍建设：结构持续优化。", "队伍建设：结构持续优化"),
    ])
    func aHeadlineAfterAColonBelongsToTheHeading(line: String, heading: String) {
        #expect(HeadingLabel.parse(line)?.heading == heading, "\(line)")
    }

    /// What a colon announces is text: an enumeration, a sentence with commas or digits, a long clause, an open one.
    @Test(arguments: [
        ("三、主要工作：一是加强学习。二是完善制度。", "主要工作"),
        ("一、指导思想：坚持立德树人，办好人民满意的教育。", "指导思想"),
        ("二、工作目标：到2025年全区学位缺口全部补齐。", "工作目标"),
        ("四、保障措施：各镇街要把教育发展纳入年度重点考核事项并定期通报。", "保障措施"),
        ("五、时间安排：全年分三个阶段推进", "时间安排"),
    ])
    func whatAColonAnnouncesIsText(line: String, heading: String) {
        #expect(HeadingLabel.parse(line)?.heading == heading, "\(line)")
    }

    @Test func notHeadings() {
        for line in ["3.5亿元用于校舍建设", "1.5倍", "一是加强学习", "四是着力均衡促发展", "——多方争取资金",
                     "2022年12月13日", "05年，我们结合", "123、三位数", "十 二月三日", "（一", "（1.5）倍",
                     "曲沃县教育局", "下半年工作计划", "第1篇 县教育局工作总结", "具体作法是:一、提高认识"] {
            #expect(HeadingLabel.parse(line) == nil, "\(line)")
        }
        #expect(HeadingLabel.parse("一、")?.heading == "")
    }

    /// A label followed by the next number of its system and a unit is a range in a sentence, not a heading.
    @Test(arguments: [
        "三、四年级学生参与率达到97%。", "三、四季度，全县完成校舍维修十二处。", "3、4月份，全区开展了教学视导。",
        "5、6年级试点分层作业，学生作业时长明显下降。", "一、二年级不布置书面家庭作业。", "一、二、三等奖分别为五名、十名、二十名。",
        "１、２月，各校完成寒假安全教育。", "二、三类学校全部完成达标改造。", "7、8、9月份共接待来访群众四十人次。",
        "十一、十二月份开展冬季长跑活动。",
    ])
    func numberRangesAreNotHeadings(line: String) {
        #expect(HeadingLabel.parse(line) == nil, "\(line)")
    }

    /// A heading whose text starts with another number is still a heading.
    @Test(arguments: [
        ("三、加强队伍建设", "加强队伍建设"), ("三、四个坚持", "四个坚持"), ("二、三年行动计划", "三年行动计划"),
        ("二、三年来工作回顾", "三年来工作回顾"), ("一、2023年工作回顾", "2023年工作回顾"), ("1、2023年主要工作", "2023年主要工作"),
        ("三、五年级学生体质监测", "五年级学生体质监测"), ("3、4G网络进校园", "4G网络进校园"),
    ])
    func headingsStartingWithANumberStay(line: String, heading: String) {
        #expect(HeadingLabel.parse(line)?.heading == heading, "\(line)")
    }

    @Test func levelSkippingAndParents() throws {
        let text = """
        2022年工作总结

        前言一行。
        一、第一部分
        1、直接在一级下面的三级
        （1）四级
        （一）二级
        (2)四级，父节点是二级
        二、第二部分
        （1）四级直接在一级下
        """
        let report = try #require(try ReportParser.parse(text: text, fileName: "t.txt").first)
        #expect(report.title == "2022年工作总结")
        #expect(report.sections.map(\.level) == [0, 1, 3, 4, 2, 4, 1, 4])
        #expect(report.sections.map(\.parentIndex) == [nil, 0, 1, 2, 1, 4, 0, 6])
        #expect(report.sections[0].text == "前言一行。")
        #expect(report.sections[5].heading == "四级，父节点是二级")
    }

    @Test func headingBeforeAnyLevelOneHangsOffPreamble() throws {
        let text = "教育局年度工作总结\n\n  （一）立德树人\n  正文。\n  二、工作计划\n  （一）党建\n"
        let report = try #require(try ReportParser.parse(text: text, fileName: "t.txt").first)
        #expect(report.sections.map(\.level) == [0, 2, 1, 2])
        #expect(report.sections.map(\.parentIndex) == [nil, 0, 0, 2])
        #expect(report.sections[0].text.isEmpty)
        #expect(report.sections[1].text == "  （一）立德树人\n  正文。")
    }

    @Test func titleWithoutBlankLineFallsBackToFirstTitleLikeLine() throws {
        let text = "当前位置: 首页 > 总结 > 正文\n教育局年度工作总结\n正文。\n（１）全角数字\n"
        let reports = try ReportParser.parse(text: text, fileName: "t.txt")
        #expect(reports.map(\.title) == ["教育局年度工作总结"])
        #expect(reports[0].sections.map(\.label) == ["", "（１）"])
        #expect(reports[0].sections[1].parentIndex == 0)
    }

    @Test func bodyKeepsLeadingWhitespaceButDropsBlankLines() throws {
        let text = "人事科工作总结\n\n\u{3000}\u{3000}正文第一行。\u{3000}\n\n\n\u{3000}一、第一部分\n\u{3000}正文。\n"
        let report = try #require(try ReportParser.parse(text: text, fileName: "t.txt").first)
        #expect(report.sections[0].text == "\u{3000}\u{3000}正文第一行。")
        #expect(report.sections[1].text == "\u{3000}一、第一部分\n\u{3000}正文。")
    }
}
