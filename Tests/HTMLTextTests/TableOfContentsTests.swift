import Foundation
import HTMLText
import Testing
@testable import ReportParser

/// A table of contents whose entries link to the page's own headings is left out; the headings stay.
@Suite("Tables of contents")
struct TableOfContentsTests: ReadsPageBodies {
    @Test func entriesLinkingToHeadingsBelowAreDropped() throws {
        let page = """
            <p><a href="#p1">一、办学条件</a></p><p><a href="#p2">二、队伍建设</a></p>
            <h2 id="p1">一、办学条件</h2><p>改造校舍两处。</p><h2 id="p2">二、队伍建设</h2><p>培训教师四百人次。</p>
            """
        #expect(try text(page) == "一、办学条件\n\n改造校舍两处。\n\n二、队伍建设\n\n培训教师四百人次。")
    }

    @Test func aListOfEntriesToNamedAnchorsIsDroppedWhole() throws {
        let page = """
            <ul><li><a href="#_Toc7">一、回顾</a></li><li><a href="#_Toc8">二、打算</a></li></ul>
            <p>引言一句。</p>
            <h3><a name="_Toc7"></a>一、回顾</h3><p>全年完成任务。</p><h3><a name="_Toc8"></a>二、打算</h3><p>继续努力。</p>
            """
        #expect(try text(page) == "引言一句。\n\n一、回顾\n\n全年完成任务。\n\n二、打算\n\n继续努力。")
    }

    /// A heading that is an anchor and a link to it (a word processor's export) is the target, not an entry; an
    /// `<a name>` is not a link, so the heading is not a list of two links either.
    @Test func aHeadingLinkingToItsOwnAnchorStays() throws {
        let page = """
            <h2><a name="_Toc1"></a><a href="#_Toc1">一、回顾</a></h2><p>全年完成任务。</p>
            <h2><a name="_Toc2">二、打算</a></h2><p>继续努力。</p>
            """
        #expect(try text(page) == "一、回顾\n\n全年完成任务。\n\n二、打算\n\n继续努力。")
    }

    /// What must not change: links without an `href` (a saved menu's) are still links, and a list of them chrome.
    @Test func linksWithoutAnHrefStillMakeALinkList() throws {
        #expect(try text("<p>正文。</p><ul><li><a>区教育局工作总结</a></li><li><a>区教育局工作计划</a></li></ul>") == "正文。")
    }

    /// What must not change: links to other pages, a link up the page, a link inside a sentence, a link to no anchor.
    @Test func otherLinksStay() throws {
        #expect(try text("<p><a href='/x.html'>县教育局工作总结</a></p>") == "县教育局工作总结")
        #expect(try text("<h2 id='top'>一、回顾</h2><p>正文。</p><p><a href='#top'>回到开头</a></p>")
                == "一、回顾\n\n正文。\n\n回到开头")
        #expect(try text("<p>详见<a href='#t1'>下表</a>所列。</p><table id='t1'><tr><td>甲</td></tr></table>")
                == "详见下表所列。\n\n甲")
        #expect(try text("<p><a href='#nowhere'>一、回顾</a></p><p>正文。</p>") == "一、回顾\n\n正文。")
    }

    @Test func aReportWithATableOfContentsHasItsOutlineOnce() throws {
        let html = """
            <html><head><meta charset="utf-8"></head><body><h1>某镇教育办2023年工作总结</h1>
            <p><a href="#a1">一、办学条件</a></p><p><a href="#a2">二、队伍建设</a></p>
            <p>今年全镇教育工作稳中有进。</p>
            <h2><a name="a1"></a><a href="#a1">一、办学条件</a></h2><p>改造校舍两处，<a href="/n/1.html">镇中心小学</a>新建操场。</p>
            <h2><a name="a2">二、队伍建设</a></h2><p>培训教师四百人次。</p>
            </body></html>
            """
        let report = try #require(try ReportParser.parse(data: Data(html.utf8), fileName: "toc.html").first)
        #expect(report.sections.map(\.label) == ["", "一、", "二、"])
        #expect(report.sections.map(\.text) == ["今年全镇教育工作稳中有进。", "一、办学条件\n改造校舍两处，镇中心小学新建操场。",
                                                "二、队伍建设\n培训教师四百人次。"])
    }
}
