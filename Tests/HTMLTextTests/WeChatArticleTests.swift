import Foundation
import Testing
@testable import ReportParser

/// A saved WeChat article: its text (hidden until a script shows it), its badge-numbered sections, without its
/// follow prompts, account line, credits, reading count and buttons.
@Suite("WeChat articles")
struct WeChatArticleTests {
    /// A saved WeChat article reads as its report: title, opening and sections, without the follow prompts, the
    /// reading count and the buttons under it.
    @Test func aSavedWeChatArticleIsOneReport() throws {
        let html = """
            <html><head><meta charset="utf-8"><title>东坪镇教育办2023年工作总结</title></head><body>
            <h1 class="rich_media_title">东坪镇教育办2023年工作总结</h1>
            <div class="rich_media_content" id="js_content" style="visibility: hidden;">
            <section><span>点击蓝字 关注我们</span></section>
            <section><span>这一年，全镇教育工作稳步向前😊。</span></section>
            <section><strong>一、办学条件</strong></section><section><span>中心小学新建食堂一座。</span></section>
            <section><strong>二、教师培训</strong></section><section><span>全年培训教师二百人次。</span></section>
            <section><span>长按识别二维码关注我们</span></section><section><span>点个“在看”，你最好看</span></section>
            </div>
            <div class="rich_media_tool"><a href="https://example.invalid/">阅读原文</a><div>阅读 1024</div>
            <span>在看</span><span>分享</span><span>点赞</span></div>
            </body></html>
            """
        let reports = try ReportParser.parse(data: Data(html.utf8), fileName: "wx.html")
        #expect(reports.map(\.title) == ["东坪镇教育办2023年工作总结"])
        let report = try #require(reports.first)
        #expect(report.sections.map { $0.label + $0.heading } == ["", "一、办学条件", "二、教师培训"])
        #expect(report.sections.map(\.text) == ["这一年，全镇教育工作稳步向前😊。", "一、办学条件\n中心小学新建食堂一座。",
                                                "二、教师培训\n全年培训教师二百人次。"])
    }

    @Test(arguments: ["点击蓝字 关注我们", "长按识别二维码关注我们", "点个“在看”，你最好看", "阅读原文", "阅读 2361", "阅读 10万+",
                      "在看分享点赞写留言", "分享 点赞 在看", "编辑：李晓 | 审核：王明", "文字：张三　图片：李四　编辑：王五"])
    func wechatFurnitureIsChrome(line: String) {
        #expect(FurnitureRules.standard.match(line)?.role == .chrome)
    }

    @Test func theAccountLineUnderTheTitleIsMetadata() {
        #expect(FurnitureRules.standard.match("西川教育发布 2024-01-15 18:30 四川")?.role == .metadata)
        #expect(FurnitureRules.standard.match("原创 西川教育发布 西川教育发布 2024年01月15日 18:30")?.role == .metadata)
    }

    /// What must not change: report prose that names following, reading, sharing or an editor.
    @Test(arguments: ["全区开展“阅读原文经典”活动，参与学生1.2万人。", "家长可扫码关注学校公众号，及时了解作业情况。这一做法已在全区推广。",
                      "阅读", "分享", "编辑：李晓", "教研员分享了课例，教师点赞率达到96%。", "全区教育系统 2024-01-15 召开大会"])
    func proseAboutReadingAndSharingIsText(line: String) {
        #expect(FurnitureRules.standard.match(line)?.role != .chrome)
    }
}
