import Testing
@testable import ReportParser

@Suite("Furniture rules")
struct FurnitureRulesTests {
    @Test func standardRulesCompile() {
        #expect(FurnitureRules.standard.invalidPatterns.isEmpty)
    }

    @Test(arguments: [
        "当前位置: 东星资源网 > 文档大全 > 应用文 > 正文",
        "酷猫写作\u{00A0}>\u{00A0}范文大全\u{00A0}>\u{00A0}工作总结\u{00A0}>\u{00A0}教育总结",
        "- 相關(guān)推薦", "栏目", "时间:2019-04-19 来源:东星资源网 本文已影响 手机版",
        "发布时间:2023-01-26 15:44:02 热度:97", "网站:公文素材库 | 时间:2021-11-02 07:48:02 | 移动端:x",
        "标签:靖江市 工作报告", "来源:网络整理 免责声明:本文仅限学习分享", "链接地址:http://www.bsmz.net/news/5149.html",
        "县教育局2022年教育工作目标管理考评总结一文由www.koomao.com搜集整理,版权归作者所有,转载请注明出处!",
        "市教育局年度工作总结及下一年工作计划》由互联网用户整理提供,转载分享请保留原作者信息,谢谢!",
        "Gz85.Com更多总结小编推荐", "荟聚奇文、博采众长、见贤思齐", "《县教育工作总结12篇.doc》",
        "将本文的Word文档下载,方便收藏和打印", "推荐度:", "点击下载文档", "相关范文", "酷猫分类查询入口", "一键复制",
        "下面就是小編為您收集整理的2017年度教育局工作總結(jié)的相關(guān)文章",
    ])
    func matchesKnownFurniture(line: String) {
        #expect(FurnitureRules.standard.match(line) != nil)
    }

    @Test(arguments: [
        "曲沃县教育局", "xx年十 二月三日", "2022年12月13日", "下半年工作计划",
        "时间紧,任务重,来源广泛的资金保障了建设。", "充分发挥骨干教师作用,大力开展“送教到校”活动。",
        "我们推荐了3名教师参加xx省第九批中小学特级教师评选。", "一、加强领导,狠抓落实",
    ])
    func leavesReportTextAlone(line: String) {
        // A date may match a metadata rule, which only drops it right after a title.
        let rule = FurnitureRules.standard.match(line)
        #expect(rule == nil || rule?.role == .metadata, "\(line): \(rule.map(\.description) ?? "")")
    }

    /// A report's attachment line names a file, as a preview page's document name does, but is the report's text.
    @Test(arguments: [
        "附件：2023年全区学校建设情况汇总表.docx", "附件2.全县中小学布局调整方案.doc", "附表：各镇学位缺口测算.pdf",
        "附件1：课后服务收费标准.wps",
    ])
    func attachmentLinesAreNotDocumentNames(line: String) {
        let rule = FurnitureRules.standard.match(line)
        #expect(rule == nil, "\(line): \(rule.map(\.description) ?? "")")
    }

    /// What must not change: a preview page's document name is still one.
    @Test(arguments: ["《县教育局2023年工作总结.docx》", "镇中心学校2022年度工作总结.doc", "区教育局工作要点.PDF"])
    func documentNamesStay(line: String) {
        #expect(FurnitureRules.standard.match(line)?.role == .documentName, "\(line)")
    }

    /// Kept, as the report's last part (see `Attachments`), and not dropped.
    @Test func anAttachmentLineIsKept() throws {
        let text = """
            某区教育局2023年工作总结

            一、主要成效
            新建学校两所。
            二、下一步工作
            补齐农村学校音乐教师。
            附件：2023年全区学校建设情况汇总表.docx
            """
        let reading = try ReportParser.readPage(text: text, fileName: "p.txt")
        #expect(reading.droppedLines.isEmpty)
        #expect(reading.reports.first?.sections.suffix(2).map(\.text)
                == ["二、下一步工作\n补齐农村学校音乐教师。", "附件：2023年全区学校建设情况汇总表.docx"])
    }

    /// A government site's footer: chrome wherever it sits on the page.
    @Test(arguments: [
        "主办单位：桃源县教育局", "主办单位：桃源县教育局　承办单位：桃源县信息中心", "承办：桃源县教育信息中心",
        "主办单位：桃源县教育局　联系电话：0000-1112222", "联系电话：0000-1112222　地址：桃源县文昌路8号　邮编：000000",
        "桃源县教育局 主办　地址：桃源县文昌路8号　邮编：000000", "网站标识码：0000000099", "政府网站标识码：0000000099",
        "某ICP备00001234号-3", "ICP备案：某ICP备00001234号", "某公网安备 00000000000099号", "扫一扫在手机打开当前页",
        "扫一扫", "（责任编辑：陈晨）", "【责任编辑：陈晨】", "分享：微信微博", "分享至：",
        "索引号：TY-0001/2024-00031", "索引号：TY-0001/2024-00031\t发布机构：桃源县教育局", "发文日期：2024年03月05日",
        "文号：桃教发〔2024〕9号", "主题分类：教育", "成文日期：2024-03-01",
    ])
    func governmentFooterIsChrome(line: String) {
        #expect(FurnitureRules.standard.match(line)?.role == .chrome, "\(line)")
    }

    /// The article's header on a government site: dropped only right after a title.
    @Test(arguments: [
        "信息来源：市教育局", "信息来源：市教育局　发布时间：2024-01-10", "文章来源：县教育局　　点击数：55",
        "发布者：管理员　发布日期：2024-01-10", "发布单位：县教育局", "录入：admin　审核：李强", "审核：李强",
        "点击数：55", "[ 2024-01-10 ]  [ 来源：教育局 ]  [ 浏览：123 ]", "2024-01-10　来源：市教育局",
        "（来源：县教育局办公室）",
    ])
    func governmentHeaderIsMetadata(line: String) {
        #expect(FurnitureRules.standard.match(line)?.role == .metadata, "\(line)")
    }

    /// Report prose that names a source, an organizer, a phone line or a review in a sentence is never chrome; a
    /// contact line alone may be the report's own (a hotline it announces).
    @Test(arguments: [
        "由县教育局主办、实验小学承办的教学开放周吸引家长两千余人次。", "本次竞赛主办单位为市教育局，承办单位为县第一中学。",
        "开通家长热线，联系电话在各校门口公示。", "联系电话：0000-7654321", "主要经费来源于县财政，审核流程全部公开。",
        "学生扫一扫校园二维码，即可查看每日食谱。", "分享经验：各校交流了课后服务的做法。", "文号管理规范，公文处理及时。",
        "索引号编制工作由办公室负责，全年公开信息二百余条。",
        String(repeating: "主办单位：县教育局负责统筹协调，各校按分工落实，", count: 6) + "确保活动顺利开展。",
    ])
    func proseNamingSourcesAndOrganizersIsText(line: String) {
        let rule = FurnitureRules.standard.match(line)
        #expect(rule == nil, "\(line): \(rule.map(\.description) ?? "")")
    }

    @Test func trailerRunsUntilNextExplicitReport() throws {
        let text = """
        篇一:教育局工作总结
        正文一。
        【教育局工作总结】相关文章:
        教育局工作总结03-11

        县教育局工作总结01-29
        篇二:教育局工作总结
        正文二。
        """
        let reports = try ReportParser.parse(text: text, fileName: "t.txt")
        #expect(reports.map(\.title) == ["篇一:教育局工作总结", "篇二:教育局工作总结"])
        #expect(reports.map { $0.sections[0].text } == ["正文一。", "正文二。"])
    }

    @Test func customRuleIsOneLineOfData() throws {
        let text = "教育局工作总结\n\n正文。\n本站广告位招租\n"
        let rules = FurnitureRules.standard.adding([.contains("广告位招租")])
        #expect(try ReportParser.parse(text: text, fileName: "t.txt", rules: rules)[0].sections[0].text == "正文。")
        #expect(try ReportParser.parse(text: text, fileName: "t.txt")[0].sections[0].text == "正文。\n本站广告位招租")
    }

    /// A title repeated after a page of the report's text is a running header.
    @Test func repeatedTitleIsRunningHeader() throws {
        let text = "市教育局年度工作总结\n\n正文一。\n一、概况\n正文二。\n\n市教育局年度工作总结\n\n正文三。\n"
        let reports = try ReportParser.parse(text: text, fileName: "t.txt")
        #expect(reports.count == 1)
        #expect(reports[0].sections.map(\.text) == ["正文一。", "一、概况\n正文二。\n正文三。"])
    }

    /// The page's title, a short introduction of the site, then the same title over the report:
    /// the first title and the introduction are the page's, not the report's.
    @Test func pageTitleBeforeTheReportsOwnTitle() throws {
        for pageTitle in ["市教育局年度工作总结", "市教育局年度工作总结_某某范文网"] {
            let text = "\(pageTitle)\n\n这是一篇写得很实在的总结，值得一读。\n\n市教育局年度工作总结\n\n正文一。\n一、概况\n正文二。\n"
            let reports = try ReportParser.parse(text: text, fileName: "t.txt")
            #expect(reports.map(\.title) == ["市教育局年度工作总结"])
            #expect(reports.first?.sections.map(\.text) == ["正文一。", "一、概况\n正文二。"])
        }
    }
}
