import Foundation
import HTMLText
import Testing
@testable import ReportParser

/// An article hidden by its style until a script shows it (a saved WeChat article's `js_content`) is the page's text;
/// small hidden blocks stay hidden.
@Suite("Text a script reveals")
struct ScriptRevealedTextTests: ReadsPageBodies {
    @Test func aHiddenArticleHoldingThePagesSentencesIsRead() throws {
        let page = """
            <h1>某区教育局工作总结</h1>
            <div id="js_content" style="visibility: hidden;"><section><span>一、学位建设</span></section>
            <section><span>新建学校两所。改造操场一处。</span></section><section><span>二、队伍建设</span></section>
            <section><span>培训教师三百人次。</span></section></div>
            """
        #expect(try text(page) == "某区教育局工作总结\n\n一、学位建设\n新建学校两所。改造操场一处。\n二、队伍建设\n培训教师三百人次。")
    }

    /// What must not change: a hidden pop-up or menu beside the text, and a hidden block with a sentence or two.
    @Test func smallHiddenBlocksStayHidden() throws {
        let page = """
            <p>全年新建学校两所。改造操场一处。培训教师三百人次。</p>
            <div style="display:none">登录后评论。</div><div style="visibility:hidden">分享到朋友圈</div>
            """
        #expect(try text(page) == "全年新建学校两所。改造操场一处。培训教师三百人次。")
        #expect(try text("<p>正文一句。</p><div style='display: none'>隐藏一句。又一句。</div>") == "正文一句。")
    }
}
