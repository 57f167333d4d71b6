import Foundation
import MarginCLI
import MarginStore
import Testing

@Suite("margin reports: pages and totals")
struct ReportsCommandTests {
    /// A sandbox holding `count` short reports titled `第N篇 工作总结`, imported from one file.
    static func sandbox(reports count: Int) async throws -> CLISandbox {
        let sandbox = try await CLISandbox.initialized()
        let text = (1...count).map { "第\($0)篇 工作总结\n今年完成了第\($0)项任务。\n" }.joined()
        let file = try sandbox.write("many.txt", text: text)
        let imported = await sandbox.run("import", file)
        #expect(imported.status == 0, "\(imported.errors)")
        #expect(try sandbox.open().reports(offset: 0, limit: 1).total == count)
        return sandbox
    }

    @Test("by default 50 reports are listed, then a line says how many more there are and how to see them")
    func defaultPage() async throws {
        let sandbox = try await Self.sandbox(reports: 60)
        let result = await sandbox.run("reports")
        #expect(result.status == 0)
        #expect(result.lines.count == 1 + 50 + 1)
        #expect(result.lines[1].hasSuffix("  第1篇 工作总结"))
        #expect(result.lines[50].hasSuffix("  第50篇 工作总结"), "numbers in titles sort by value")
        #expect(result.lines.last == "… 10 more reports (60 in all); see the next ones with --offset 50, or every one with --all.")
    }

    @Test("--offset and --limit page through the listing; the pages put together are --all")
    func paging() async throws {
        let sandbox = try await Self.sandbox(reports: 23)
        let all = await sandbox.run("reports", "--all")
        #expect(all.lines.count == 24, "header and every report, no closing line")
        var rows: [String] = []
        for offset in stride(from: 0, to: 23, by: 10) {
            let page = await sandbox.run("reports", "--offset", "\(offset)", "--limit", "10")
            #expect(page.status == 0)
            #expect(page.lines.first == all.lines.first)
            let shown = min(10, 23 - offset)
            rows += page.lines.dropFirst().prefix(shown)
            if offset + shown < 23 {
                #expect(page.lines.last == "… \(23 - offset - shown) more reports (23 in all); see the next ones with --offset \(offset + shown), or every one with --all.")
            } else {
                #expect(page.lines.count == 1 + shown)
            }
        }
        #expect(rows == Array(all.lines.dropFirst()))
        let one = await sandbox.run("reports", "--offset", "21", "--limit", "1")
        #expect(one.lines.last == "… 1 more report (23 in all); see the next ones with --offset 22, or every one with --all.")
    }

    @Test("--json is one object: the page's items, the total and the offset; items name reports by id and reference")
    func json() async throws {
        let sandbox = try await Self.sandbox(reports: 12)
        let page = try await sandbox.run("reports", "--json", "--limit", "5", "--offset", "5").decode(ListingPage<ReportSummary>.self)
        #expect(page.total == 12)
        #expect(page.offset == 5)
        #expect(page.items.map(\.title) == (6...10).map { "第\($0)篇 工作总结" })
        let raw = await sandbox.run("reports", "--json", "--limit", "1").output
        let object = try #require(try JSONSerialization.jsonObject(with: Data(raw.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["items", "total", "offset"])
        let item = try #require((object["items"] as? [[String: Any]])?.first)
        let id = try #require(item["id"] as? String)
        let reference = try #require(item["reference"] as? String)
        #expect(id.count == 32 && id.hasPrefix(reference) && reference.count >= 4)
        #expect(item["shortID"] == nil)
        // The reference is what `show` accepts.
        #expect(await sandbox.run("show", reference).status == 0)
    }

    @Test("an offset past the end says how many reports there are")
    func pastTheEnd() async throws {
        let sandbox = try await Self.sandbox(reports: 3)
        let result = await sandbox.run("reports", "--offset", "10")
        #expect(result.status == 0)
        #expect(result.output == "No reports past the first 10; there are 3 reports.\n")
    }

    @Test("bad paging options are usage errors", arguments: [["--limit", "0"], ["--all", "--limit", "5"], ["--offset", "-3"]])
    func usageErrors(_ arguments: [String]) async throws {
        let sandbox = try await Self.sandbox(reports: 2)
        let result = await sandbox.run(["reports"] + arguments)
        #expect(result.status == 64)
        #expect(result.output.isEmpty)
    }
}
