import Testing
@testable import ReportParser

/// A notice that issues a document, and the document after it, are one report; its attachments are its last part.
@Suite("Issued documents and attachments")
struct IssuedDocumentTests {
    static let notice = """
        关于印发《某县教育局2024年工作要点》的通知

        各乡镇中心校，县直各学校：
        现将《某县教育局2024年工作要点》印发给你们，请认真贯彻落实。
        某县教育局
        2024年3月1日

        某县教育局2024年工作要点

        一、办学条件
        （一）新建学校。年内建成县第三小学。
        （二）改造校舍。完成农村薄弱学校改造九所。
        二、队伍建设
        （三）补充教师。招聘教师八十名。
        附件：1.建设项目表
        2.任务分工表
        附件1
        序号\t项目\t完成时间
        1\t县第三小学\t2024年8月
        """

    @Test func aNoticeAndTheDocumentItIssuesAreOneReport() throws {
        let reports = try ReportParser.parse(text: Self.notice, fileName: "notice.txt")
        #expect(reports.map(\.title) == ["关于印发《某县教育局2024年工作要点》的通知"])
        let sections = try #require(reports.first?.sections)
        #expect(sections[0].text == "各乡镇中心校，县直各学校：\n现将《某县教育局2024年工作要点》印发给你们，请认真贯彻落实。\n"
                + "某县教育局\n2024年3月1日\n某县教育局2024年工作要点")
        #expect(sections.dropFirst().map { $0.label + $0.heading }
                == ["一、办学条件", "（一）新建学校", "（二）改造校舍", "二、队伍建设", "（三）补充教师", "附件"])
        #expect(sections.map(\.level) == [0, 1, 2, 2, 1, 2, 1])
        #expect(sections[5].text == "（三）补充教师。招聘教师八十名。")
        #expect(sections[6].text == "附件：1.建设项目表\n2.任务分工表\n附件1\n序号\t项目\t完成时间\n1\t县第三小学\t2024年8月")
        #expect(sections[6].parentIndex == 0)
    }

    /// A notice of two lines is the report's opening too, not a page's introduction under its title.
    @Test func aShortNoticeIsKept() throws {
        let text = "关于印发《某县教育局2024年工作要点》的通知\n\n各学校：\n现印发给你们，请遵照执行。\n\n"
            + "某县教育局2024年工作要点\n\n一、办学条件\n建成县第三小学。\n二、队伍建设\n招聘教师八十名。\n"
        let reports = try ReportParser.parse(text: text, fileName: "notice.txt")
        #expect(reports.count == 1)
        #expect(reports.first?.sections.first?.text == "各学校：\n现印发给你们，请遵照执行。\n某县教育局2024年工作要点")
    }

    /// What must not change: a title the notice does not name starts a report of its own.
    @Test func aTitleTheNoticeDoesNotIssueIsAnotherReport() throws {
        let text = "关于印发《某县教育局2024年工作要点》的通知\n\n各学校：\n现印发给你们，请遵照执行。\n某县教育局\n2024年3月1日\n\n"
            + "某县教育局2023年工作总结\n\n一、成绩\n建成县第二小学。\n二、不足\n教师不足。\n"
        let reports = try ReportParser.parse(text: text, fileName: "notice.txt")
        #expect(reports.map(\.title) == ["关于印发《某县教育局2024年工作要点》的通知", "某县教育局2023年工作总结"])
    }

    @Test(arguments: [
        ("关于印发《甲县教育工作要点》的通知", ["甲县教育工作要点"]),
        ("关于转发《乙市教育局工作计划》和《乙市督导工作要点》的通知", ["乙市教育局工作计划", "乙市督导工作要点"]),
        ("关于做好《丙县工作要点》落实的报告", []),
        ("关于召开全县教育工作会议的通知", []),
    ])
    func whatANoticeIssues(title: String, documents: [String]) {
        #expect(IssuingNotice.issuedDocuments(title).map(String.init) == documents)
    }

    /// What must not change: an attachment named in the text before the last top-level heading, or a sentence
    /// about one, is text of its section.
    @Test func attachmentsMentionedInTheTextStayText() throws {
        let text = """
            某县教育局2023年工作总结

            一、成绩
            建成县第二小学。
            附件：学校建设情况表
            二、不足
            教师不足。
            附件中的数据截至十二月底。
            """
        let sections = try #require(try ReportParser.parse(text: text, fileName: "t.txt").first?.sections)
        #expect(sections.dropFirst().map { $0.label + $0.heading } == ["一、成绩", "二、不足"])
        #expect(sections[1].text == "一、成绩\n建成县第二小学。\n附件：学校建设情况表")
        #expect(sections[2].text == "二、不足\n教师不足。\n附件中的数据截至十二月底。")
    }

    @Test(arguments: [("附件：1.建设项目表", "附件"), ("附件1", "附件1"), ("附件二：任务分工表", "附件二"), ("附表 各校学位统计", "附表")])
    func anAttachmentsHeading(line: String, heading: String) {
        #expect(Attachments.heading(of: line) == heading)
    }

    @Test(arguments: ["附件中的数据截至十二月底。", "附近学校均已完成改造。", "附件材料务必于月底前报送，逾期不再受理，请各单位相互转告并抓紧落实相关工作要求。"])
    func notAnAttachmentsOpening(line: String) {
        #expect(Attachments.heading(of: line) == nil)
    }
}
