import Testing
@testable import ReportParser

/// Numbering forms of pages the seeds do not show: decimal outline numbers, brackets, formal numerals (bare and in
/// brackets), articles and a wide gap instead of a label's mark; and the body text that must stay text.
@Suite("Label forms")
struct LabelFormTests: ParsesSmallText {
    static func label(_ line: String) -> (HeadingLabel.Kind, String, String, Int)? {
        HeadingLabel.parse(line).map { ($0.kind, $0.label, $0.heading, $0.number) }
    }

    // MARK: - Decimal outline numbers

    @Test func decimalNumbersAreLabels() throws {
        let two = try #require(HeadingLabel.parse("1.1 学位供给"))
        #expect((two.kind, two.label, two.heading, two.path) == (.decimal, "1.1 ", "学位供给", [1, 1]))
        #expect(HeadingLabel.parse("2.3、课后服务")?.path == [2, 3])
        #expect(HeadingLabel.parse("2.3、课后服务")?.label == "2.3、")
        #expect(HeadingLabel.parse("1.2.3 集团化办学")?.path == [1, 2, 3])
        #expect(HeadingLabel.parse("1.2. 集团化办学")?.label == "1.2. ")
        #expect(HeadingLabel.parse("３．１　全角数字")?.path == [3, 1])
        #expect(HeadingLabel.parse("10.12 两位数")?.number == 12)
    }

    @Test func decimalsInTextAreNoLabels() {
        for line in ["1.5亿元用于校舍改造。", "2023.1 全县开展教师培训", "2.0 版平台上线", "1.2 万名学生参加研学",
                     "1.2.3.4 地址", "3.5%的学校", "1.1.", "1.1"] {
            #expect(HeadingLabel.parse(line)?.kind != .decimal, "\(line)")
        }
        #expect(HeadingLabel.parse("1.5亿元用于校舍改造。") == nil)
        #expect(HeadingLabel.parse("2023.1 全县开展教师培训") == nil)
    }

    @Test func decimalsNestUnderTheirChapterLines() throws {
        let text = """
        县教育局2023年工作总结

        1 学前教育
        1.1 普惠资源
        新增公办园三所。
        1.2 保教质量
        1.2.1 园本教研
        开展教研活动四十次。
        1.2.2 幼小衔接
        2 义务教育
        2.1 学位供给
        新建学校两所。
        """
        let report = try #require(try Self.parse(text).first)
        #expect(report.sections.map(\.label) == ["", "1 ", "1.1 ", "1.2 ", "1.2.1 ", "1.2.2 ", "2 ", "2.1 "])
        #expect(report.sections.map(\.level) == [0, 1, 2, 2, 3, 3, 1, 2])
        #expect(report.sections.map(\.parentIndex) == [nil, 0, 1, 1, 3, 3, 0, 6])
    }

    @Test func decimalsNestUnderChineseHeadings() throws {
        let text = "县教育局2023年工作总结\n\n一、学前教育\n1.1 普惠资源\n1.2 保教质量\n二、义务教育\n2.1 学位供给\n2.2 课后服务\n"
        let report = try #require(try Self.parse(text).first)
        #expect(report.sections.map(\.label) == ["", "一、", "1.1 ", "1.2 ", "二、", "2.1 ", "2.2 "])
        #expect(report.sections.map(\.level) == [0, 1, 2, 2, 1, 2, 2])
    }

    @Test func decimalsOutOfSequenceAreText() throws {
        // 1.5 after 1.1 skips numbers, 3.1 names no heading, 12.31 (a date) neither: all are text.
        let text = "县教育局2023年工作总结\n\n一、学前教育\n1.1 普惠资源\n1.5 全县投入再增加\n3.1 新园用地\n12.31 前完成验收\n1.2 保教质量\n"
        #expect(HeadingLabel.parse("3.1 新园用地")?.path == [3, 1])
        let report = try #require(try Self.parse(text).first)
        #expect(report.sections.map(\.label) == ["", "一、", "1.1 ", "1.2 "])
        #expect(report.sections[2].text == "1.1 普惠资源\n1.5 全县投入再增加\n3.1 新园用地\n12.31 前完成验收")
    }

    @Test func aNumberWithASpaceIsAChapterOnlyOverItsFirstDecimal() throws {
        let text = "县教育局2023年工作总结\n\n3 个乡镇完成验收\n1 学前教育\n1.1 普惠资源\n12 月召开总结会\n"
        let report = try #require(try Self.parse(text).first)
        #expect(report.sections.map(\.label) == ["", "1 ", "1.1 "])
        #expect(report.sections[0].text == "3 个乡镇完成验收")
    }

    @Test func numberedHeadingsOverTheirDecimalsAreChapters() throws {
        // `1.` over `1.1` is a chapter; the `1.` and `2.` of a list under `2.1` stay items below it.
        let text = "县教育局2023年工作总结\n\n1. 学前教育\n1.1 普惠资源\n2. 义务教育\n2.1 学位供给\n1.新建学校两所\n2.改扩建学校三所\n2.2 课后服务\n"
        let report = try #require(try Self.parse(text).first)
        #expect(report.sections.map(\.label) == ["", "1.", "1.1 ", "2.", "2.1 ", "1.", "2.", "2.2 "])
        #expect(report.sections.map(\.level) == [0, 1, 2, 1, 2, 3, 3, 2])
        #expect(report.sections.map(\.parentIndex) == [nil, 0, 1, 0, 3, 4, 4, 3])
    }

    @Test func aDecimalInsideAParagraphBeforeAnyHeadingIsText() throws {
        let text = "县教育局2023年工作总结\n\n全年工作总体平稳。1.1 倍的增幅来自学前教育。1.1 普惠资源扩大了。\n1.2 保教质量\n"
        let report = try #require(try Self.parse(text).first)
        #expect(report.sections.map(\.label) == [""])
    }

    // MARK: - Brackets

    @Test func bracketedNumbersAreLabels() {
        #expect(Self.label("【一】加强师资")! == (.parenChinese, "【一】", "加强师资", 1))
        #expect(Self.label("〔二〕提升质量")! == (.parenChinese, "〔二〕", "提升质量", 2))
        #expect(Self.label("［三］改善条件")! == (.parenChinese, "［三］", "改善条件", 3))
        #expect(Self.label("【1】备课检查")! == (.parenArabic, "【1】", "备课检查", 1))
        #expect(Self.label("〔12〕作业检查")! == (.parenArabic, "〔12〕", "作业检查", 12))
        #expect(HeadingLabel.parse("【一】加强师资")?.level == 2)
        #expect(HeadingLabel.parse("【1】备课检查")?.level == 4)
    }

    @Test func bracketsMustClose() {
        for line in ["【一〕加强师资", "〔一】加强师资", "【一加强师资", "【篇一】", "【字号：大 中 小】", "〔2023〕5号文件"] {
            #expect(HeadingLabel.parse(line) == nil, "\(line)")
        }
    }

    @Test func bracketsBeforeParenthesesAreTheLevelAbove() throws {
        let text = "县教育局2023年工作总结\n\n【一】加强领导\n（一）健全机制\n（二）压实责任\n【二】提升质量\n（一）课堂改革\n【1】集体备课\n（1）每周一次\n"
        let report = try #require(try Self.parse(text).first)
        #expect(report.sections.map(\.label) == ["", "【一】", "（一）", "（二）", "【二】", "（一）", "【1】", "（1）"])
        #expect(report.sections.map(\.level) == [0, 1, 2, 2, 1, 2, 3, 4])
        #expect(report.sections.map(\.parentIndex) == [nil, 0, 1, 1, 0, 4, 5, 6])
    }

    @Test func bracketsStayBesideParenthesesWhereTheLevelAboveIsTaken() throws {
        // 一、 holds the top level; 〔一〕 after （一） is the same kind of item, numbered on.
        let text = "县教育局2023年工作总结\n\n一、加强领导\n（一）健全机制\n〔二〕压实责任\n二、提升质量\n"
        let report = try #require(try Self.parse(text).first)
        #expect(report.sections.map(\.level) == [0, 1, 2, 2, 1])
    }

    // MARK: - Formal numerals

    @Test func formalNumeralsAreLabels() {
        #expect(Self.label("壹、工作回顾")! == (.formal, "壹、", "工作回顾", 1))
        #expect(Self.label("贰、主要成绩")! == (.formal, "贰、", "主要成绩", 2))
        #expect(Self.label("叁．存在问题")! == (.formal, "叁．", "存在问题", 3))
        #expect(HeadingLabel.parse("玖、其他")?.number == 9)
        #expect(HeadingLabel.parse("拾、附则")?.number == 10)
        #expect(HeadingLabel.parse("拾贰、附则")?.number == 12)
        #expect(HeadingLabel.parse("贰拾、附则")?.number == 20)
        #expect(HeadingLabel.parse("陸、傳統字形")?.number == 6)
        #expect(HeadingLabel.parse("伍先生介绍了经验。") == nil)
        #expect(HeadingLabel.parse("陆续开展专项检查。") == nil)
    }

    @Test func formalNumeralsStandAboveChineseOnes() throws {
        let text = "县教育局2023年工作报告\n\n壹、工作回顾\n一、学前教育\n二、义务教育\n贰、工作打算\n一、优化布局\n"
        let report = try #require(try Self.parse(text).first)
        #expect(report.sections.map(\.label) == ["", "壹、", "一、", "二、", "贰、", "一、"])
        #expect(report.sections.map(\.level) == [0, 1, 2, 2, 1, 2])
    }

    @Test func formalNumeralsOutOfTheirRunAreText() throws {
        let text = "县教育局2023年工作报告\n\n陆、海、空三军院校来校宣讲。\n壹、工作回顾\n叁、存在问题\n贰、主要成绩\n"
        let report = try #require(try Self.parse(text).first)
        #expect(report.sections.map(\.label) == ["", "壹、", "贰、"])
        #expect(report.sections[1].text == "壹、工作回顾\n叁、存在问题")
    }

    @Test func formalNumeralsInBracketsAreLabels() {
        #expect(Self.label("（壹）资金募集")! == (.parenFormal, "（壹）", "资金募集", 1))
        #expect(Self.label("(贰) 资助发放")! == (.parenFormal, "(贰)", "资助发放", 2))
        #expect(Self.label("【叁】加强队伍建设")! == (.parenFormal, "【叁】", "加强队伍建设", 3))
        #expect(Self.label("〔拾〕附则")! == (.parenFormal, "〔拾〕", "附则", 10))
        #expect(Self.label("［拾贰］其他")! == (.parenFormal, "［拾贰］", "其他", 12))
        #expect(Self.label("（ 陸 ）傳統字形")! == (.parenFormal, "（ 陸 ）", "傳統字形", 6))
        for line in ["（壹〕资金募集", "【贰）资助发放", "（壹", "（壹拾壹拾）"] {
            #expect(HeadingLabel.parse(line) == nil, "\(line)")
        }
    }

    @Test func formalNumeralsInBracketsGoUnderFormalNumerals() throws {
        // 壹、 over （壹） over 一、: each form one level further down.
        let text = "县教育基金会2024年度工作报告\n\n壹、工作回顾\n（壹）资金募集\n一、定向捐赠\n二、社会募捐\n（贰）资助发放\n"
            + "贰、工作打算\n（壹）扩大资助范围\n"
        let report = try #require(try Self.parse(text).first)
        #expect(report.sections.map(\.label) == ["", "壹、", "（壹）", "一、", "二、", "（贰）", "贰、", "（壹）"])
        #expect(report.sections.map(\.level) == [0, 1, 2, 3, 3, 2, 1, 2])
        #expect(report.sections.map(\.parentIndex) == [nil, 0, 1, 2, 2, 1, 0, 6])
    }

    @Test func formalNumeralsInBracketsAloneAreTheTopLevel() throws {
        let text = "县教育基金会2024年度工作报告\n\n（壹）资金募集\n一、定向捐赠\n（贰）资助发放\n"
        let report = try #require(try Self.parse(text).first)
        #expect(report.sections.map(\.label) == ["", "（壹）", "一、", "（贰）"])
        #expect(report.sections.map(\.level) == [0, 1, 2, 1])
    }

    @Test func formalNumeralsInBracketsOutOfTheirRunAreText() throws {
        // A （贰） before any （壹） under its 壹、, and a （叁） after （壹）, are what they say: numbered things.
        let text = "县教育基金会2024年度工作报告\n\n壹、工作回顾\n（贰）号展板介绍了受助学生。\n（壹）资金募集\n"
            + "（叁）号仓库的图书已清点。\n（贰）资助发放\n"
        let report = try #require(try Self.parse(text).first)
        #expect(report.sections.map(\.label) == ["", "壹、", "（壹）", "（贰）"])
        #expect(report.sections[1].text == "壹、工作回顾\n（贰）号展板介绍了受助学生。")
        #expect(report.sections[2].text == "（壹）资金募集\n（叁）号仓库的图书已清点。")
    }

    // MARK: - Articles

    @Test func articlesAreLabels() {
        #expect(Self.label("第一条 为了规范课后服务，制定本办法。")! == (.article, "第一条", "为了规范课后服务", 1))
        #expect(Self.label("第十二条　本办法自发布之日起施行。")! == (.article, "第十二条", "本办法自发布之日起施行", 12))
        #expect(Self.label("第3条：学校应当公示收费标准。")! == (.article, "第3条", "学校应当公示收费标准", 3))
        #expect(HeadingLabel.parse("第五条")?.kind == .article)
        #expect(Self.label("第六条【目的】为了规范课后服务，制定本办法。")! == (.article, "第六条", "【目的】为了规范课后服务", 6))
    }

    @Test func articleWordsInProseAreNoLabels() {
        for line in ["第一条腿迈出去了", "第一条路线是步行", "第二条经验是抓落实。", "第一条腿"] {
            #expect(HeadingLabel.parse(line) == nil, "\(line)")
        }
    }

    @Test func articlesGoUnderChaptersAndOverItems() throws {
        let text = "县中小学课后服务管理办法\n\n第一章 总则\n第一条 为了规范课后服务，制定本办法。\n第二条 本办法适用于全县中小学。\n"
            + "第二章 服务内容\n第三条 课后服务包括以下内容：\n（一）作业辅导；\n（二）兴趣活动。\n"
        let report = try #require(try Self.parse(text).first)
        #expect(report.sections.map(\.label) == ["", "第一章", "第一条", "第二条", "第二章", "第三条", "（一）", "（二）"])
        #expect(report.sections.map(\.level) == [0, 1, 2, 2, 1, 2, 4, 4])
        #expect(report.sections.map(\.parentIndex) == [nil, 0, 1, 1, 0, 4, 5, 5])
    }

    @Test func articlesOfMeasuresANoticeIssuesAreItsSections() throws {
        let text = """
            关于印发《县中小学课后服务管理办法》的通知

            各中小学：
            现将《县中小学课后服务管理办法》印发给你们，请遵照执行。
            县教育局
            2024年2月20日

            县中小学课后服务管理办法

            第一条 为了规范课后服务，制定本办法。
            第二条 课后服务坚持学生自愿。
            第一条腿迈稳了，后面的路才好走。
            第三条 本办法自发布之日起施行。
            """
        let report = try #require(try Self.parse(text).first)
        #expect(report.sections.map(\.label) == ["", "第一条", "第二条", "第三条"])
        #expect(report.sections.map(\.level) == [0, 1, 1, 1])
        #expect(report.sections[0].text.hasSuffix("县中小学课后服务管理办法"))
        #expect(report.sections[2].text == "第二条 课后服务坚持学生自愿。\n第一条腿迈稳了，后面的路才好走。")
    }

    // MARK: - A wide gap instead of the mark

    @Test func aWideGapSeparatesALabel() {
        #expect(Self.label("一\u{3000}加强师资")! == (.chinese, "一\u{3000}", "加强师资", 1))
        #expect(Self.label("二\u{2003}提升质量")! == (.chinese, "二\u{2003}", "提升质量", 2))
        #expect(Self.label("3  作业检查")! == (.arabic, "3  ", "作业检查", 3))
        #expect(Self.label("（二）\u{3000}提升质量")! == (.parenChinese, "（二）", "提升质量", 2))
        #expect(Self.label("壹\u{3000}工作回顾")! == (.formal, "壹\u{3000}", "工作回顾", 1))
        #expect(HeadingLabel.parse("一\u{3000}加强师资")?.level == 1)
        // A heading run into its text across one more gap is still a heading.
        #expect(Self.label("一\u{3000}回顾\u{3000}过去的一年，全县教育事业稳步发展。")! == (.chinese, "一\u{3000}", "回顾", 1))
    }

    @Test func aGapBeforeANumberOrAQuantityIsText() {
        for line in ["一 是加强学习", "一\u{3000}是加强学习", "三\u{3000}四年级学生", "12\u{3000}月召开总结会", "3  个乡镇",
                     "1\t张三\t语文", "5 名教师获奖", "2\u{3000}0\u{3000}2\u{3000}3", "一     加强师资",
                     "1  县第三小学  2024年8月  已完工", "2\u{3000}城关小学\u{3000}教学楼\u{3000}已完工", "3  城南中学\t在建"] {
            #expect(HeadingLabel.parse(line) == nil, "\(line)")
        }
    }

    @Test func gapLabelsMakeAnOutline() throws {
        let text = "县教育局2023年工作总结\n\n一\u{3000}加强师资\n（一）\u{3000}招聘教师\n招聘教师九十名。\n（二）\u{3000}培训教师\n二\u{3000}提升质量\n"
        let report = try #require(try Self.parse(text).first)
        #expect(report.sections.map(\.heading) == ["", "加强师资", "招聘教师", "培训教师", "提升质量"])
        #expect(report.sections.map(\.level) == [0, 1, 2, 2, 1])
    }
}
