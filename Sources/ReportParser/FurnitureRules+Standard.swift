import Foundation

extension FurnitureRules {
    /// The rules for scraped report pages, parsed once from `standardText`.
    public static let standard: FurnitureRules = {
        do {
            return try parse(text: standardText, source: "standard rules")
        } catch {
            preconditionFailure("\(error)")  // The table is a constant; FurnitureRulesTests parse it.
        }
    }()

    /// The standard rules in the rules-file format (`FurnitureRules.parse(text:source:)`), first match wins.
    ///
    /// They describe the genre, not a site: what any page of collected reports or document previews carries
    /// (navigation, publishing lines, share, print and download widgets, editor and copyright notes, "for
    /// reference" sentences, counters, related-article lists). Anchored patterns are preferred: report prose
    /// also mentions 来源, 时间, 推荐 …, which is why metadata rules only apply right after a title, and why
    /// phrases that may sit anywhere in a line carry a `max=` so a paragraph is never dropped for one phrase.
    public static let standardText = #"""
        # Navigation: breadcrumbs, menus, previous and next links, "related" headings.
        chrome regex ^(当前位置|當前位置|您的位置|你的位置|所在位置)
        chrome regex ^[^\s>。，]{1,12}(\s*>\s*[^\s>。，]{1,12}){2,}$ max=160
        chrome regex ^(栏目|欄目|栏目导航|欄目導航|首页|首頁|网站首页|網站首頁|返回首页|返回首頁|返回顶部|返回頂部)$
        chrome regex ^(上一篇|下一篇)(文章)?\s*[:：]
        chrome regex ^[-–·•\s]*(相[关關](\([^()]{1,8}\))?推[荐薦]|热门推荐|熱門推薦|猜你喜欢|猜你喜歡)$
        # The page's publishing line, anywhere on the page: when it was published or updated, its tags, the site.
        chrome regex ^(发布时间|發佈時間|发表时间|發表時間|更新时间|更新時間|标签|標籤|关键词|關鍵詞|网站|網站|热度|熱度)\s*[:：]
        chrome regex ^(时间|時間|日期)\s*[:：].*[\s|｜](来源|來源)\s*[:：]
        chrome regex ^((本文|文章|原文)(链接|鏈接|地址|网址|網址)|链接地址|鏈接地址|永久链接|永久鏈接)\s*[:：]
        # A site's slogan of four-character phrases (荟聚奇文、博采众长、…).
        chrome regex ^\p{Han}{4}(、\p{Han}{4}){2,}$ max=120
        # Notes of the site's editor and reprint notices (小编为您整理…, 转载请注明出处).
        chrome containsAny 小编|小編|转载请|轉載請|转载分享请|轉載分享請|请注明出处|請註明出處
        # Copyright notices and disclaimers.
        chrome containsAny 版权归|版權歸|版权声明|版權聲明|版权所有|版權所有|如有侵权|如有侵權|侵权请|侵權請|免责声明|免責聲明|©|Copyright|copyright|COPYRIGHT max=150
        # Share, copy, print and bookmark widgets.
        chrome containsAny 分享到|一键复制|一鍵複製|复制全文|複製全文|打印本文|打印此文|打印本页|打印本頁|收藏本文|加入收藏|关闭窗口|關閉窗口|查询入口|查詢入口 max=20
        # A government site's footer, anywhere on the page: who runs the site, its registration numbers, a contact
        # line beside them, the "open this page on your phone" code, the editor in charge. Report prose names a
        # 主办单位 or a 联系电话 inside a sentence; a contact line alone may be the report's, so it is chrome only
        # beside another footer field.
        chrome regex ^(主办单位|主辦單位|承办单位|承辦單位|协办单位|協辦單位|主办|主辦|承办|承辦)\s*[:：] max=120
        chrome regex ^(联系电话|聯繫電話|联系方式|聯繫方式|地址|通讯地址|通訊地址)\s*[:：].*(主办|主辦|承办|承辦|邮编|郵編|传真|傳真|网站标识码|網站標識碼|ICP|公网安备|公網安備) max=120
        chrome regex ^[^。，；;]{0,20}(主办|主辦)(单位|單位)?[\s:：].*(地址|邮编|郵編|电话|電話|ICP|网站标识码|網站標識碼) max=120
        chrome regex ^(政府)?(网站标识码|網站標識碼) max=120
        chrome regex ICP\s*(备|備|证|證)[^。，；]{0,12}?[0-9０-９]{5,}\s*号 max=120
        chrome regex 公(网|網)安(备|備)[^。，；]{0,8}?[0-9０-９]{8,}\s*号 max=120
        chrome regex ^(扫一扫|掃一掃)[^。，,；;！!？?]{0,16}$ max=20
        chrome regex ^[（(【\[]\s*(责任编辑|責任編輯|编辑|編輯)\s*[:：][^）)】\]]{0,20}[）)】\]]$
        chrome regex ^(分享|分享至)\s*[:：] max=40
        # The open-government information block (索引号, 发布机构, 文号 …), a form's labels, never prose; a table of
        # them reads one row a line.
        chrome regex ^(索引号|索引號|发布机构|發佈機構|发文机关|發文機關|发文日期|發文日期|成文日期|文号|文號|发文字号|發文字號|主题分类|主題分類|主题词|主題詞|公开方式|公開方式|公开范围|公開範圍)\s*[:：] max=160
        # Ratings of the article.
        chrome regex ^(推荐度|推薦度|推荐指数|推薦指數)\s*[:：]?
        # Download prompts.
        chrome containsAny 下载提示|下載提示|点击下载|點擊下載|下载本文|下載本文|文档下载|文檔下載|下载文档|下載文檔|免费下载|免費下載|立即下载|立即下載|展开阅读全文|展開閱讀全文|继续阅读|繼續閱讀 max=150
        # A printed document's furniture left in its text by a PDF or word-processor export: page numbers (— 3 —,
        # - 3 -, 第3页 共8页) and a table of contents, whose entries run out to their page numbers along leader dots
        # (一、主要成绩……………2); the headings they list follow in the text.
        chrome regex ^[-－—–─]+\s*[0-9０-９]{1,3}\s*[-－—–─]+$
        chrome regex ^(第\s*[0-9０-９]{1,3}\s*[页頁]\s*[,，/／]?\s*共\s*[0-9０-９]{1,3}\s*[页頁]|共\s*[0-9０-９]{1,3}\s*[页頁]\s*[,，/／]?\s*第\s*[0-9０-９]{1,3}\s*[页頁])$
        chrome regex ^目\s*[录錄]$
        chrome regex \S\s*(…{2,}|\.{4,}|·{4,}|．{4,}|-{4,})\s*[0-9０-９]{1,3}$ max=80
        # A WeChat article's furniture: its follow prompts (点击蓝字 关注我们, 长按识别二维码), its 阅读原文 link, its
        # reading count and its 在看, 分享, 点赞 buttons.
        chrome containsAny 关注我们|關注我們|识别二维码|識別二維碼|扫码关注|掃碼關注|点个在看|點個在看|点个“在看”|點個「在看」|点亮“在看”|点亮在看 max=30
        chrome regex ^(阅读原文|閱讀原文)$
        chrome regex ^(阅读|閱讀)\s+[0-9０-９]+(\+|万\+?|萬\+?)?$
        chrome regex ^((在看|分享|点赞|點讚|赞|讚|写留言|寫留言|留言|收藏)\s*){2,}$
        # The credits under an article, two or more on a line (编辑：李晓 | 审核：王明); one alone may be the report's.
        chrome regex ^((编辑|編輯|责任编辑|責任編輯|责编|責編|审核|審核|初审|初審|复审|複審|终审|終審|校对|校對|排版|美编|美編|文字|图片|圖片|撰稿|供稿|来源|來源)\s*[:：]\s*[^\s|｜丨/:：。，；]{1,15}\s*[|｜丨/]?\s*){2,}$ max=80
        # Related-article lists at the end of a report: everything from here to the next report marker.
        trailer regex ^【[^】]*】\s*相[关關](\([^()]{1,8}\))?
        trailer regex ^(相关范文|相关文章|相關文章|相关阅读|相關閱讀|延伸阅读|延伸閱讀|推荐阅读|推薦閱讀|热门文章|熱門文章)\s*[:：]?$
        # "For reference" and welcome sentences of the site.
        chrome containsAny 仅供参考|僅供參考|供大家参考|供大家參考|以供参考|欢迎阅读|歡迎閱讀|欢迎借鉴|歡迎借鑒|希望对你有|希望对您有|希望对大家有|希望對你有|希望對您有|希望對大家有|希望能帮助到|希望能够帮助到|希望能幫助到|一起来看看吧|一起來看看吧 max=150
        # Document-preview pages: the document's name, its blurb, who shared it and how much was read. A report's
        # own attachment line (附件：…统计表.docx, 附件2.…方案.doc) names a file too, but is the report's text.
        documentName regex ^(?!附件|附表)《?[^\s《》。，,；;：:！!？?]{2,80}\.(?i:doc|docx|pdf|wps|txt)》?$ max=120
        chrome regex ^(文档简介|文檔簡介|内容简介|內容簡介)\s*[:：]?
        chrome containsAny 由会员|由會員|会员分享|會員分享|会员上传|會員上傳|用户上传|用戶上傳|用户分享|用戶分享|网友上传|網友上傳|网友分享|網友分享 max=150
        chrome containsAny 已阅读|已閱讀|页未读|頁未讀 max=150
        # The header of a collection of reports: "…(通用3篇)", "…5篇", "…12篇范文", "…范文".
        collectionHeader regex ^[^。，,；;！!？?]{2,60}[(（]\s*((通用|精选|精選|优选|優選|热门|熱門|实用|實用|最新|推荐|推薦|必备|必備|汇总|匯總|合集|集锦|集錦|精华|精華)\s*[0-9０-９一二三四五六七八九十]*\s*篇?|[0-9０-９一二三四五六七八九十]+\s*篇)\s*[)）]$ max=120
        collectionHeader regex ^[^。，,；;！!？?]{2,60}[0-9０-９一二三四五六七八九十]+\s*篇(范文|範文|精选|精選|汇总|匯總|合集|大全)?$ max=120
        collectionHeader regex ^[^。，,；;！!？?]{2,60}(范文|範文|范文大全|範文大全|精选范文|精選範文|模板)$ max=120
        # Article metadata between a title and its text (dropped only there): time, source, author,
        # counters, font-size switches, lead, format and size.
        metadata regex ^(时间|時間|日期|发布日期|發佈日期|发布于|發佈於|发表于|發表於|更新日期|上传时间|上傳時間|上传日期|上傳日期|上传于|上傳於)\s*[:：]
        metadata regex ^(来源|來源|出处|出處|作者|编辑|編輯|责任编辑|責任編輯|责编|責編|撰稿|撰稿人|供稿|审核|審核|上传者|上傳者|上传人|上傳人|分享者|分享人)\s*[:：]
        metadata regex ^(信息来源|信息來源|文章来源|文章來源|稿件来源|稿件來源|发布者|發佈者|发布人|發佈人|发布单位|發佈單位|录入|錄入|录入者|錄入者|审稿|審稿)\s*[:：]
        metadata regex ^[\[【（(]\s*([0-9０-９]{4}\s*[-/.年]|(来源|來源|浏览|瀏覽|点击|點擊|作者|时间|時間|日期|发布时间|發佈時間)\s*[:：]) max=120
        metadata regex ^[0-9０-９]{4}\s*[-/.年]\s*[0-9０-９]{1,2}\s*[-/.月]\s*[0-9０-９]{1,2}\s*日?(\s*[0-9０-９]{1,2}[:：][0-9０-９]{2}([:：][0-9０-９]{2})?)?\s*(来源|來源|作者|编辑|編輯|发布者|發佈者|浏览|瀏覽|点击|點擊|阅读|閱讀)(量|数|數|次数|次數)?\s*[:：] max=120
        metadata regex ^(阅读|閱讀|浏览|瀏覽|点击|點擊|评论|評論|访问|訪問)(量|数|數|次数|次數)?\s*[:：]?\s*[0-9０-９]
        metadata regex ^[0-9０-９.,万萬]+\s*(人|次)?\s*(阅读|閱讀|浏览|瀏覽|评论|評論)
        metadata regex ^[【\[(（]?\s*(字号|字號|字体|字體)\s*[:：]?\s*[【\[]?[大中小]
        metadata regex ^(原创\s+|原創\s+)?([^\s。，,；;！!？?]{2,20}\s+){1,2}[0-9０-９]{4}\s*[-/.年]\s*[0-9０-９]{1,2}\s*[-/.月]\s*[0-9０-９]{1,2}\s*日?\s+[0-9０-９]{1,2}[:：][0-9０-９]{2}(\s+\p{Han}{2,4})?$ max=80
        metadata regex ^(导语|導語|摘要)\s*[:：]
        metadata regex ^(格式|文件格式|文档格式|文檔格式|文件大小|大小|页数|頁數|文档页数|文檔頁數|下载次数|下載次數)\s*[:：]
        metadata regex ^[0-9０-９]{4}\s*[-/.年]\s*[0-9０-９]{1,2}\s*[-/.月]\s*[0-9０-９]{1,2}\s*日?(\s+[0-9０-９]{1,2}[:：][0-9０-９]{2}([:：][0-9０-９]{2})?)?$
        """#
}
