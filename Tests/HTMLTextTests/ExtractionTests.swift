import HTMLText
import Testing

/// Small pages, one rule each: what becomes a line, what is dropped, how whitespace reads.
@Suite("Extracting a page's text")
struct ExtractionTests: ReadsPageBodies {
    @Test func blocksAreLinesAndInlineElementsRunOn() throws {
        #expect(try text("<div>一、<b>总体</b>情况</div><div>第二行</div>") == "一、总体情况\n第二行")
        #expect(try text("<table><tr><td>单位</td><td>人数</td></tr><tr><td>一中</td><td>1200</td></tr></table>")
                == "单位\t人数\n一中\t1200")
        #expect(try text("<ul><li>甲</li><li>乙</li></ul><p>丙</p>") == "甲\n乙\n\n丙")
    }

    @Test func aDataRowIsOneLineWithItsCellsSeparatedByATab() throws {
        let table = "<p>主要指标完成情况如下。</p><table><tr><th>指标</th><th>2022年</th><th>2023年</th></tr>"
            + "<tr><td>学前三年毛入园率</td><td>91%</td><td>93.5%</td></tr>"
            + "<tr><td>九年义务教育巩固率</td><td>98.2%</td><td>98.9%</td></tr></table><p>各项指标均完成。</p>"
        #expect(try text(table) == "主要指标完成情况如下。\n\n指标\t2022年\t2023年\n学前三年毛入园率\t91%\t93.5%\n"
                + "九年义务教育巩固率\t98.2%\t98.9%\n\n各项指标均完成。")
        // Word's tables wrap each value in a paragraph; an empty cell adds no separator of its own.
        let word = "<table><tr><td><p><span>新建学校</span></p></td><td></td><td><p>3所</p></td></tr></table>"
        #expect(try text(word) == "新建学校\t3所")
        // The open-government block is a table of label cells and value cells: a row is one line a rule can drop.
        #expect(try text("<table><tr><td>索引号：</td><td>QX-0003/2024-00010</td><td>发布机构：</td><td>某县教育局</td></tr></table>")
                == "索引号：\tQX-0003/2024-00010\t发布机构：\t某县教育局")
    }

    @Test func aLayoutTableKeepsALinePerBlock() throws {
        let article = "<h1>青石县教育局2023年工作总结</h1><p>一、主要成效</p><p>新建学校三所。</p>"
        let sideBar = "<ul><li>通知公告</li><li>政策文件</li></ul>"
        #expect(try text("<table><tr><td>\(sideBar)</td><td>\(article)</td></tr></table>")
                == "通知公告\n政策文件\n\n青石县教育局2023年工作总结\n\n一、主要成效\n\n新建学校三所。")
        // One long cell (an article set with <br>) is layout too, and a nested table makes its row layout.
        let long = String(repeating: "全年教育工作稳步推进，各项指标均达到预期。", count: 12)
        #expect(try text("<table><tr><td>正文</td><td>\(long)<br>二、存在问题</td></tr></table>") == "正文\n\(long)\n二、存在问题")
        #expect(try text("<table><tr><td>栏目</td><td><table><tr><td>一中</td><td>1200</td></tr></table></td></tr></table>")
                == "栏目\n一中\t1200")
    }

    @Test func paragraphsAndHeadingsAreSetApartByABlankLine() throws {
        #expect(try text("<h1>县教育局工作总结</h1><p>第一段。</p><p>第二段。</p>") == "县教育局工作总结\n\n第一段。\n\n第二段。")
        #expect(try text("<div>标题</div><div>正文</div>") == "标题\n正文")
    }

    @Test func lineBreaksAddUpWhileBlockBreaksMerge() throws {
        #expect(try text("<p>甲<br>乙<br><br>丙</p>") == "甲\n乙\n\n丙")
        #expect(try text("<div>甲<br></div><div>乙</div>") == "甲\n乙")
        #expect(try text("<div><div><div>甲</div></div></div><div>乙</div>") == "甲\n乙")
    }

    @Test func whitespaceCollapsesButIdeographicIndentationStays() throws {
        #expect(try text("<p>  甲 \t\n  乙  </p>") == "甲乙", "a source line break between Chinese characters is no space")
        #expect(try text("<p>Office   365 软件</p>") == "Office 365 软件")
        #expect(try text("<p>&nbsp;&nbsp;&nbsp;&nbsp;一、总体情况</p>") == "一、总体情况")
        #expect(try text("<p>&#12288;&#12288;全年完成投资。</p>") == "\u{3000}\u{3000}全年完成投资。")
        #expect(try text("<p>\n　　全年完成投资。</p>") == "\u{3000}\u{3000}全年完成投资。")
    }

    @Test func preformattedTextKeepsItsLines() throws {
        #expect(try text("<pre>一、总体情况\n  全年完成投资。</pre>") == "一、总体情况\n  全年完成投资。")
    }

    @Test func entitiesAreDecoded() throws {
        #expect(try text("<p>A&amp;B &lt;30人 &quot;双减&quot; &#x4E00;&#20108;</p>") == "A&B <30人 \"双减\" 一二")
    }

    @Test func scriptsStylesAndControlsAreDropped() throws {
        let page = "<script>var a = '一、假';</script><style>p { color: red }</style><noscript>请启用脚本</noscript>"
            + "<template><p>模板</p></template><select><option>选项</option></select><button>提交</button>"
            + "<textarea>留言</textarea><iframe src='x'></iframe><p>正文。</p>"
        #expect(try text(page) == "正文。")
    }

    @Test func navigationBannerFooterAndSideBarsAreDropped() throws {
        let page = "<header><p>网站名称</p></header><nav><p>导航</p></nav><p>正文。</p><aside><p>侧栏</p></aside>"
            + "<footer><p>页脚</p></footer>"
        #expect(try text(page) == "正文。")
        #expect(try text("<div role='navigation'>导航</div><div role='banner'>横幅</div><p>正文。</p>") == "正文。")
    }

    @Test func anArticlesOwnHeaderAndFooterStay() throws {
        let page = "<article><header><h1>县教育局工作总结</h1></header><p>正文。</p><footer><p>二〇二三年十二月</p></footer></article>"
        #expect(try text(page) == "县教育局工作总结\n\n正文。\n\n二〇二三年十二月")
    }

    @Test func hiddenElementsAreDropped() throws {
        #expect(try text("<p hidden>甲</p><p style='display: none'>乙</p><p style='visibility:hidden'>丙</p><p>丁</p>") == "丁")
        #expect(try text("<p aria-hidden='true'>甲</p><p style='color: red'>乙</p>") == "乙")
    }

    @Test func linkListsAreDroppedButTextWithLinksStays() throws {
        let menu = "<ul><li><a href='/'>首页</a></li><li><a href='/a'>工作总结</a></li><li><a href='/b'>工作计划</a></li></ul>"
        #expect(try text(menu + "<p>正文。</p>") == "正文。")
        let prevNext = "<div><p>上一篇：<a href='/1'>区教育局工作总结</a></p><p>下一篇：<a href='/2'>区教育局工作计划</a></p></div>"
        #expect(try text("<p>正文。</p>" + prevNext) == "正文。")
        let prose = "<p>全年新建学校三所，详见<a href='/x'>附件一</a>和<a href='/y'>附件二</a>，各校均已按期投入使用并通过验收。</p>"
        #expect(try text(prose) == "全年新建学校三所，详见附件一和附件二，各校均已按期投入使用并通过验收。")
        #expect(try text("<p><a href='/x'>县教育局工作总结</a></p>") == "县教育局工作总结", "one link is not a list")
        #expect(try text("<p>全年新建学校三所<font>（见<a href='/x'>附件一</a>、<a href='/y'>附件二</a>）</font>，均已投入使用。</p>")
                == "全年新建学校三所（见附件一、附件二），均已投入使用。", "links inline in a paragraph stay")
    }

    @Test func aSearchFormIsDroppedButAFormWrappingThePageStays() throws {
        #expect(try text("<form><input name='q'><span>站内搜索</span></form><p>正文。</p>") == "正文。")
        let long = String(repeating: "全年教育工作稳步推进，各项指标均达到预期。", count: 12)
        #expect(try text("<form id='aspnetForm'><div><p>\(long)</p></div></form>") == long)
    }

    @Test func loginAndCommentBoxesAreDroppedWhole() throws {
        let login = "<form><p>用户名：<input name='u'></p><p>密码：<input type='password' name='p'></p>"
            + "<button>登录</button><a href='/r'>忘记密码？</a></form>"
        #expect(try text(login + "<p>正文。</p>") == "正文。")
        let comment = "<form><h3>发表评论</h3><textarea name='c'></textarea><p>请文明发言。</p><button>提交</button></form>"
        #expect(try text("<p>正文。</p>" + comment) == "正文。")
    }

    /// ASP.NET WebForms pages put the whole body in one form whose only inputs are hidden: a short report in it is
    /// read like one in a div, and only the controls (and a search box's label) go.
    @Test func aWebFormsPageIsReadLikeADiv() throws {
        let report = "<h1>梅岭镇教育办2024年工作总结</h1><p>一、主要成效</p><p>改造校舍两处。</p><p>二、下一步工作</p><p>补齐音乐教师。</p>"
        let expected = "梅岭镇教育办2024年工作总结\n\n一、主要成效\n\n改造校舍两处。\n\n二、下一步工作\n\n补齐音乐教师。"
        let viewState = "<div><input type='hidden' name='__VIEWSTATE' value='abc'></div>"
        #expect(try text("<form id='form1'>\(report)</form>") == expected)
        #expect(try text("<form id='form1'>\(viewState)\(report)</form>") == expected)
        let search = "<div class='search'>站内搜索：<input type='text' name='kw'><input type='submit' value='搜索'></div>"
        #expect(try text("<form id='form1'>\(viewState)\(report)\(search)</form>") == expected)
        #expect(try text("<form id='form1'>\(search)\(report)<select><option>友情链接</option></select></form>") == expected)
    }

    @Test func proseBesideAControlStays() throws {
        // A sentence is not a control's label, and a paragraph without controls is never a form's chrome.
        #expect(try text("<div>请在下表填写本校课后服务开设情况。<input name='n'></div>") == "请在下表填写本校课后服务开设情况。")
        #expect(try text("<form><p>全年新建学校三所。</p><p>改造校舍两处。</p><button>打印</button></form>")
                == "全年新建学校三所。\n\n改造校舍两处。")
    }

    @Test func theTitleIsTheHeadsTitle() throws {
        let page = try HTMLText.extract(html: "<html><head><title>\n 县教育局工作总结_范文网 \n</title></head><body><p>正文。</p></body></html>")
        #expect(page.title == "县教育局工作总结_范文网")
        #expect(page.text == "正文。")
        #expect(try HTMLText.extract(html: "<p>正文。</p>").title == nil)
    }

    @Test func emptyAndChromeOnlyPagesHaveNoText() throws {
        #expect(try HTMLText.extract(html: "").text.isEmpty)
        #expect(try text("<nav><a href='/'>首页</a></nav><script>x()</script>").isEmpty)
    }
}
