import Foundation

extension FurnitureRules {
    /// The rules for scraped report pages. The first group is lines seen on the seed sites;
    /// the rest describe the genre. Prefer anchored patterns: report prose also mentions
    /// 来源, 时间, 推荐 …, which is why metadata rules only apply right after a title.
    public static let standard = FurnitureRules([
        // Navigation and breadcrumbs.
        .prefix("当前位置"),
        .prefix("您的位置"),
        .regex(#"^[^\s>。，]{1,12}(\s*>\s*[^\s>。，]{1,12}){2,}$"#),
        .regex(#"^(栏目|栏目导航|首页)$"#),
        .regex(#"^[-–·•\s]*(相关推荐|相關推薦|相關\(guān\)推薦|热门推荐|猜你喜欢)$"#),
        // Article metadata.
        .regex(#"^时间\s*[:：].*来源\s*[:：]"#),
        .regex(#"^(发布时间|發佈時間|发表时间|更新时间|标签|網站|网站|热度)\s*[:：]"#),
        .regex(#"^来源\s*[:：]\s*网络整理"#),
        .contains("免责声明"),
        .prefix("链接地址"),
        .regex(#"^本文(链接|地址|网址)\s*[:：]"#),
        // Copyright / aggregator notes.
        .regex(#"一文由\s*www\..*搜集整理"#),
        .contains("由互联网用户整理提供"),
        .regex(#"(?i)\.com.{0,12}小编推荐"#),
        .regex(#"(小编|小編).{0,20}(收集整理|整理收集|整理了|為您收集|为您收集)"#),
        .contains("版权归作者所有"),
        .regex(#"^荟聚奇文、博采众长、见贤思齐$"#),
        // Download / share widgets.
        .documentName(#"^《[^》]+\.(doc|docx|pdf|txt)》$"#),
        .contains("Word文档下载"),
        .regex(#"^推荐度\s*[:：]"#),
        .regex(#"^(点击下载文档|下载文档|一键复制|复制全文|分享到|打印本文|收藏本文|酷猫分类查询入口)$"#),
        // Trailing related-article lists: everything after these is furniture.
        .trailer(#"^【[^】]*】\s*(相关|相關|相關\(guān\))"#),
        .trailer(#"^(相关范文|相关文章|相關文章|相關\(guān\)文章|相关阅读|延伸阅读|推荐阅读|热门文章)\s*[:：]?$"#),
        // The rules below describe the genre, not a site: any page of collected reports or
        // document previews uses these forms.
        // "For reference" and welcome sentences of the site (short lines only).
        .containsAny(["仅供参考", "僅供參考", "供大家参考", "供大家參考", "以供参考", "欢迎阅读", "歡迎閱讀", "欢迎借鉴", "歡迎借鑒",
                      "希望对你有", "希望对您有", "希望对大家有", "希望對你有", "希望對您有", "希望對大家有", "希望能帮助到",
                      "希望能够帮助到", "希望能幫助到", "一起来看看吧", "一起來看看吧"], maxLength: 150),
        // Document-preview pages: the document's name, its blurb, who shared it, how much was read,
        // download prompts and copyright notices.
        .documentName(#"^[^\s。，,；;！!？?]{2,80}\.(?i:doc|docx|pdf|wps)$"#),
        .regex(#"^(文档简介|文檔簡介|内容简介|內容簡介)\s*[:：]?"#),
        .containsAny(["由会员", "由會員", "会员分享", "會員分享", "会员上传", "會員上傳", "用户上传", "用戶上傳", "用户分享",
                      "用戶分享", "网友上传", "網友上傳", "网友分享", "網友分享"], maxLength: 150),
        .containsAny(["已阅读", "已閱讀", "页未读", "頁未讀"], maxLength: 150),
        .containsAny(["下载提示", "下載提示", "点击下载", "點擊下載", "下载本文", "下載本文", "免费下载", "免費下載", "立即下载",
                      "立即下載", "展开阅读全文", "展開閱讀全文", "继续阅读", "繼續閱讀"], maxLength: 150),
        .containsAny(["版权声明", "版權聲明", "版权所有", "版權所有", "如有侵权", "如有侵權", "侵权请", "侵權請", "©", "Copyright",
                      "copyright", "COPYRIGHT"], maxLength: 150),
        // The header of a collection of reports: "…(通用3篇)", "…5篇", "…12篇范文", "…范文".
        .collectionHeader(#"^[^。，,；;！!？?]{2,60}[(（]\s*((通用|精选|精選|优选|優選|热门|熱門|实用|實用|最新|推荐|推薦|必备|必備|汇总|匯總|合集|集锦|集錦|精华|精華)\s*[0-9０-９一二三四五六七八九十]*\s*篇?|[0-9０-９一二三四五六七八九十]+\s*篇)\s*[)）]$"#),
        .collectionHeader(#"^[^。，,；;！!？?]{2,60}[0-9０-９一二三四五六七八九十]+\s*篇(范文|範文|精选|精選|汇总|匯總|合集|大全)?$"#),
        .collectionHeader(#"^[^。，,；;！!？?]{2,60}(范文|範文|范文大全|範文大全|精选范文|精選範文|模板)$"#),
        // Article metadata between a title and its text (dropped only there).
        .metadata(#"^(时间|時間|日期|发布日期|發佈日期|发布于|發佈於|发表于|發表於|更新日期|上传时间|上傳時間|上传日期|上傳日期|上传于|上傳於)\s*[:：]"#),
        .metadata(#"^(来源|來源|出处|出處|作者|编辑|編輯|责任编辑|責任編輯|责编|責編|撰稿|撰稿人|供稿|审核|審核|上传者|上傳者|上传人|上傳人|分享者|分享人)\s*[:：]"#),
        .metadata(#"^(阅读|閱讀|浏览|瀏覽|点击|點擊|评论|評論|访问|訪問)(量|数|數|次数|次數)?\s*[:：]?\s*[0-9０-９]"#),
        .metadata(#"^[0-9０-９.,万萬]+\s*(人|次)?\s*(阅读|閱讀|浏览|瀏覽|评论|評論)"#),
        .metadata(#"^[【\[(（]?\s*(字号|字號|字体|字體)\s*[:：]?\s*[【\[]?[大中小]"#),
        .metadata(#"^(导语|導語|摘要)\s*[:：]"#),
        .metadata(#"^(推荐度|推薦度|推荐指数|推薦指數)"#),
        .metadata(#"^(格式|文件格式|文档格式|文檔格式|文件大小|大小|页数|頁數|文档页数|文檔頁數|下载次数|下載次數)\s*[:：]"#),
        .metadata(#"^[0-9０-９]{4}\s*[-/.年]\s*[0-9０-９]{1,2}\s*[-/.月]\s*[0-9０-９]{1,2}\s*日?(\s+[0-9０-９]{1,2}[:：][0-9０-９]{2}([:：][0-9０-９]{2})?)?$"#),
    ])
}
