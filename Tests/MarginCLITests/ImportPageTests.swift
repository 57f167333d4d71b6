import Foundation
import MarginStore
import Testing

/// The saved web pages written for the HTML reader's tests (`Tests/HTMLTextTests/Fixtures`).
enum PageFiles {
    static let directory = SeedFiles.packageRoot.appendingPathComponent("Tests/HTMLTextTests/Fixtures")
    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
}

@Suite("margin import of saved web pages")
struct ImportPageTests {
    @Test("a page with chrome around an article and a GBK page import as the reports a reader sees")
    func importsPages() async throws {
        let sandbox = try await CLISandbox.initialized()
        let result = await sandbox.run("import", PageFiles.path("chrome-article.html"), PageFiles.path("gbk-http-equiv.html"))

        #expect(result.status == 0, "\(result.errors)")
        #expect(result.lines == [
            "chrome-article.html: 1 report, 4 sections, 1 new revision",
            "gbk-http-equiv.html: 1 report, 8 sections, 1 new revision",
        ])
        let store = try sandbox.open()
        let chrome = try store.outline(of: try store.report(titled: "东湖区教育局2023年工作总结").shortID)
        #expect(chrome.title == "东湖区教育局2023年工作总结")
        #expect(chrome.sections.map { "\($0.label)\($0.heading)" } == ["", "一、学位供给持续扩大", "二、课后服务提质增效", "三、队伍建设扎实推进"])
        let gbk = try store.outline(of: try store.report(titled: "青川区教育局2022年度工作报告").shortID)
        #expect(gbk.sections.filter { $0.level == 1 }.map(\.heading)
                == ["聚焦立德树人，育人质量稳步提升", "聚焦民生关切，办学条件持续改善", "聚焦安全稳定，校园环境和谐有序"])

        // The section text is the page's text: no menu, script or footer line in it.
        let first = try store.section(chrome.sections[1].reference)
        #expect(first.text == "一、学位供给持续扩大\n新开办中小学4所、幼儿园6所，新增学位4200个，有效缓解了城东片区入学压力。")
    }

    @Test("--json of a collection page lists its three reports")
    func collectionAsJSON() async throws {
        let sandbox = try await CLISandbox.initialized()
        let result = await sandbox.run("import", "--json", PageFiles.path("collection.html"))
        #expect(result.status == 0, "\(result.errors)")
        let document = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
        let imported = try #require(document?["imported"] as? [[String: Any]])
        let reports = try #require(imported.first?["reports"] as? [[String: Any]])
        #expect(reports.compactMap { $0["title"] as? String }
                == ["2021年区教育局工作总结", "2022年区教育局工作总结", "2023年区教育局工作总结"])
    }

    @Test("--dry-run reads a page as import does: its outline, and only text lines among the dropped ones")
    func dryRun() async throws {
        let sandbox = try await CLISandbox.initialized()
        let before = try sandbox.changeCount()
        let result = await sandbox.run("import", "--dry-run", PageFiles.path("chrome-article.html"))

        #expect(result.status == 0, "\(result.errors)")
        #expect(result.lines.first == "chrome-article.html: 1 report, 1 dropped line")
        #expect(result.output.contains("东湖区教育局2023年工作总结"))
        #expect(result.output.contains("三、 队伍建设扎实推进"))
        // Menus, side bars and scripts never reach the text rules, so they are not among the dropped lines.
        for furniture in ["首页", "热门推荐", "上一篇", "Copyright", "脚本"] { #expect(!result.output.contains(furniture)) }
        #expect(try sandbox.changeCount() == before)
    }

    @Test("a page with nothing but navigation is refused in one sentence and writes nothing")
    func chromeOnlyPage() async throws {
        let sandbox = try await CLISandbox.initialized()
        let page = try sandbox.write("menu.html", text: """
            <!DOCTYPE html><html><head><title>导航</title><script>var a = 1;</script></head>
            <body><nav><a href="/">首页</a> <a href="/zj/">工作总结</a></nav></body></html>
            """)
        let before = try sandbox.changeCount()
        let result = await sandbox.run("import", page)

        #expect(result.status == 1)
        #expect(result.errorLines == [
            "error: menu.html is empty (it is a web page with no text outside its navigation, scripts and link lists); import a report file that contains text.",
        ])
        #expect(try sandbox.changeCount() == before)
    }

    @Test("a title taken from the page's <title>, not from a title line, is said on import")
    func titleFromThePageIsSaid() async throws {
        let sandbox = try await CLISandbox.initialized()
        let page = try sandbox.write("untitled.html", text: """
            <!DOCTYPE html><html><head><meta charset="utf-8"><title>北坡县教育局2024年工作总结_北坡县人民政府网</title></head>
            <body><div class="content">
            <p>一、办学条件</p><p>全县改造薄弱学校校舍十一处，新建塑胶运动场三块。</p>
            <p>二、教师队伍</p><p>组织乡村教师轮训两期，参训八百余人次。</p>
            </div></body></html>
            """)
        let result = await sandbox.run("import", page)
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.lines == [
            "untitled.html: 1 report, 3 sections, 1 new revision",
            "  title “北坡县教育局2024年工作总结” taken from the page's own title or the document name it shows, as the page has no title line; margin import --dry-run \(page) shows how it was read",
        ])

        // A page with a title line of its own says nothing more.
        let titled = try sandbox.write("titled.txt", text: "北坡县教育局2025年工作要点\n\n一、总体目标\n办好人民满意的教育。\n")
        let plain = await sandbox.run("import", titled)
        #expect(plain.lines == ["titled.txt: 1 report, 2 sections, 1 new revision"])
    }
}
