import Foundation
import MarginStore
import ReportParser
import Testing

/// The JSON document `margin import --dry-run --json` prints.
private struct DryRunDocument: Decodable {
    struct File: Decodable {
        var file: String
        var reports: [Report]
        var dropped: [Dropped]
    }
    struct Report: Decodable {
        var title: String
        var titleSource: String
        var titleLine: Int?
        var sections: Int
        var outline: [Entry]
    }
    struct Entry: Decodable, Equatable {
        var level: Int
        var label: String
        var heading: String
    }
    struct Dropped: Decodable {
        var line: Int
        var role: String
        var rule: String?
        var text: String
    }
    struct Failure: Decodable { var file: String; var error: String }
    struct Source: Decodable, Equatable { var source: String; var rules: Int }
    var files: [File]
    var failed: [Failure]
    var rules: [Source]
}

@Suite("margin import with rules, and --dry-run")
struct ImportRulesCommandTests {
    /// A page with furniture of several kinds, written for these tests.
    static let page = """
        当前位置：首页 > 工作总结 > 学校总结
        镇中心学校2024年春季学期工作总结
        来源：镇中心学校办公室
        浏览次数：128

        本学期，中心学校围绕年初计划扎实推进各项工作。
        一、教学管理
        （一）常规检查
        每月开展一次教学常规检查。
        二、安全工作
        每月开展一次安全隐患排查。
        本站广告位招租
        分享到
        相关文章
        镇中心学校2023年秋季学期工作总结
        """

    /// The text of every section of the store's one report, joined.
    static func storedText(_ sandbox: CLISandbox) throws -> String {
        let store = try sandbox.open()
        let report = try #require(try store.reports().first)
        return try store.outline(of: report.shortID).sections.map { try store.section($0.reference).text }.joined(separator: "\n")
    }

    /// Every file of the store folder with its bytes.
    static func folderBytes(_ path: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: path) {
            files[name] = FileManager.default.contents(atPath: (path as NSString).appendingPathComponent(name))
        }
        return files
    }

    // MARK: - init and the store's rules file

    @Test("init writes rules.txt, a template whose every rule is commented out, and says where it is")
    func initWritesTemplate() async throws {
        let sandbox = try CLISandbox()
        let result = await sandbox.run("init", "--author", "李伟")
        #expect(result.status == 0)
        let path = sandbox.storePath + "/rules.txt"
        #expect(result.lines.contains("Import rules: \(path) (every rule is commented out; it explains the format)."))
        #expect(result.lines.last == "Next: margin import FILE...")
        let template = try String(contentsOfFile: path, encoding: .utf8)
        #expect(try FurnitureRules.parse(text: template, source: path).rules.isEmpty)
        for example in ["# chrome contains 免责声明", "# chrome containsAny 分享到|收藏本文 max=40", "# text prefix 来源：",
                        "# trailer regex ^相关文章", "margin import --dry-run FILE"] {
            #expect(template.contains(example), "\(example)")
        }
        // Uncommented, every example is a rule.
        let examples = template.split(separator: "\n").filter { $0.hasPrefix("# ") && $0.dropFirst(2).first?.isASCII == true }
            .map { $0.dropFirst(2) }.filter { FurnitureRule.roleNames.contains(String($0.prefix { $0 != " " })) }
        #expect(try FurnitureRules.parse(text: examples.joined(separator: "\n"), source: "examples").rules.count == 5)
    }

    @Test("init in a folder that already holds a rules.txt keeps it")
    func initKeepsRulesFile() async throws {
        let sandbox = try CLISandbox()
        try FileManager.default.createDirectory(atPath: sandbox.storePath, withIntermediateDirectories: true)
        let path = sandbox.storePath + "/rules.txt"
        try "chrome contains 广告位招租\n".write(toFile: path, atomically: true, encoding: .utf8)
        let result = await sandbox.run("init", "--author", "李伟")
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.lines.contains("Import rules: \(path) (there already, kept as it was)."))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "chrome contains 广告位招租\n")
    }

    @Test("an import reads the store's rules.txt")
    func storeRulesFileIsRead() async throws {
        let sandbox = try await CLISandbox.initialized()
        let file = try sandbox.write("page.txt", text: Self.page)
        try "# our site\nchrome contains 广告位招租\n".write(toFile: sandbox.storePath + "/rules.txt", atomically: true, encoding: .utf8)
        let result = await sandbox.run("import", file)
        #expect(result.status == 0, "\(result.errors)")
        #expect(!(try Self.storedText(sandbox)).contains("广告位招租"))

        let plain = try await CLISandbox.initialized()
        #expect(await plain.run("import", try plain.write("page.txt", text: Self.page)).status == 0)
        #expect(try Self.storedText(plain).contains("本站广告位招租"))
    }

    @Test("--rules files come before the store's rules.txt, which comes before the standard rules")
    func precedence() async throws {
        let sandbox = try await CLISandbox.initialized()
        let file = try sandbox.write("page.txt", text: Self.page)
        // The store drops the source line as chrome; the --rules file keeps it as text, and it is tried first.
        try "chrome prefix 来源：\n".write(toFile: sandbox.storePath + "/rules.txt", atomically: true, encoding: .utf8)
        let keep = try sandbox.write("keep.rules", text: "text prefix 来源：\n")
        let result = await sandbox.run("import", "--rules", keep, file)
        #expect(result.status == 0, "\(result.errors)")
        #expect(try Self.storedText(sandbox).contains("来源：镇中心学校办公室"))

        let dry = await sandbox.run("import", "--dry-run", "--json", file)
        let document = try dry.decode(DryRunDocument.self)
        #expect(document.files[0].dropped.first { $0.line == 3 }?.rule == "chrome prefix 来源：")
        #expect(document.rules.map(\.source) == [sandbox.storePath + "/rules.txt", "standard"])
    }

    // MARK: - --dry-run

    @Test("--dry-run prints the reports, outline and every dropped line with its role and rule")
    func dryRunText() async throws {
        let sandbox = try CLISandbox()
        let file = try sandbox.write("page.txt", text: Self.page)
        let rules = try sandbox.write("site.rules", text: "chrome contains 广告位招租\n")
        let result = await sandbox.run("import", "--dry-run", "--rules", rules, file)
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.errors.isEmpty)
        let lines = result.lines
        #expect(lines.first == "page.txt: 1 report, 7 dropped lines")
        #expect(lines.contains("  1. 镇中心学校2024年春季学期工作总结"))
        #expect(lines.contains("     title from its title line (line 2); 4 sections"))
        #expect(lines.contains("       一、 教学管理"))
        #expect(lines.contains("         （一） 常规检查"))
        #expect(lines.contains("       二、 安全工作"))
        #expect(lines.contains("    line 3 metadata: 来源：镇中心学校办公室"))
        #expect(lines.contains("    line 12 chrome: 本站广告位招租"))
        #expect(lines.contains("      rule: chrome contains 广告位招租"))
        #expect(lines.contains("    line 15 trailer: 镇中心学校2023年秋季学期工作总结"))
        let ruleAfterLine1 = try #require(lines.firstIndex(of: "    line 1 chrome: 当前位置：首页 > 工作总结 > 学校总结")) + 1
        #expect(lines[ruleAfterLine1].hasPrefix("      rule: chrome regex ^(当前位置"))
        #expect(lines.last == "Nothing written (dry run). Rules: \(rules) (1), standard (\(FurnitureRules.standard.rules.count)).")
        #expect(!FileManager.default.fileExists(atPath: sandbox.storePath), "a dry run needs no store and makes none")
    }

    @Test("--dry-run --json lists reports, outlines and dropped lines with their rules")
    func dryRunJSON() async throws {
        let sandbox = try CLISandbox()
        let file = try sandbox.write("page.txt", text: Self.page)
        let rules = try sandbox.write("site.rules", text: "# ours\nchrome contains 广告位招租\n")
        let result = await sandbox.run("import", "--dry-run", "--json", "--rules", rules, file)
        #expect(result.status == 0, "\(result.errors)")
        let document = try result.decode(DryRunDocument.self)
        #expect(document.failed.isEmpty)
        #expect(document.rules == [.init(source: rules, rules: 1), .init(source: "standard", rules: FurnitureRules.standard.rules.count)])
        let page = try #require(document.files.first)
        #expect(page.file == "page.txt")
        #expect(page.reports.map(\.title) == ["镇中心学校2024年春季学期工作总结"])
        #expect(page.reports[0].titleSource == "titleLine")
        #expect(page.reports[0].titleLine == 2)
        #expect(page.reports[0].sections == 4)
        #expect(page.reports[0].outline == [.init(level: 1, label: "一、", heading: "教学管理"),
                                            .init(level: 2, label: "（一）", heading: "常规检查"),
                                            .init(level: 1, label: "二、", heading: "安全工作")])
        #expect(page.dropped.map(\.line) == [1, 3, 4, 12, 13, 14, 15])
        #expect(page.dropped.map(\.role) == ["chrome", "metadata", "metadata", "chrome", "chrome", "trailer", "trailer"])
        #expect(page.dropped[3].rule == "chrome contains 广告位招租")
        #expect(page.dropped[3].text == "本站广告位招租")
        #expect(page.dropped[1].rule?.hasPrefix("metadata regex ^(来源") == true)
        #expect(page.dropped[4].rule?.hasPrefix("chrome containsAny 分享到|") == true)
        #expect(page.dropped[5].rule?.hasPrefix("trailer regex ^(相关范文|相关文章") == true)
        #expect(page.dropped[6].rule == page.dropped[5].rule)
    }

    @Test("--dry-run writes nothing to a store, and imports nothing")
    func dryRunWritesNothing() async throws {
        let sandbox = try await CLISandbox.seeded()
        let changes = try sandbox.changeCount()
        let before = try Self.folderBytes(sandbox.storePath)
        let file = try sandbox.write("page.txt", text: Self.page)
        for arguments in [["import", "--dry-run", file], ["import", "--dry-run", "--json", file] + SeedFiles.paths] {
            let result = await sandbox.run(arguments)
            #expect(result.status == 0, "\(result.errors)")
        }
        #expect(try Self.folderBytes(sandbox.storePath) == before)
        #expect(try sandbox.changeCount() == changes)
        #expect(try sandbox.open().reports().count == SeedFiles.reportCount)
    }

    // MARK: - Errors

    @Test("a bad rules file exits 64 naming its file and line, and writes nothing", arguments: [false, true])
    func badRulesFile(inStore: Bool) async throws {
        let sandbox = try await CLISandbox.initialized()
        let file = try sandbox.write("page.txt", text: Self.page)
        let bad = "# fine\nchrome contains 广告\nchrome regex ^(作者\n"
        let rulesPath = inStore ? sandbox.storePath + "/rules.txt" : sandbox.folder.path + "/bad.rules"
        try bad.write(toFile: rulesPath, atomically: true, encoding: .utf8)
        let before = try Self.folderBytes(sandbox.storePath)
        for arguments in [["import", file], ["import", "--dry-run", file]] {
            let result = await sandbox.run(arguments + (inStore ? [] : ["--rules", rulesPath]))
            #expect(result.status == 64)
            #expect(result.output.isEmpty)
            #expect(result.errors.hasPrefix("error: \(rulesPath):3: “^(作者” is not a valid regular expression"), "\(result.errors)")
            #expect(!result.errors.contains("Usage:"), "found while running: the root command's usage says nothing of it")
        }
        let missing = await sandbox.run("import", "--rules", sandbox.folder.path + "/none.rules", file)
        #expect(missing.status == 64)
        #expect(missing.errors.contains("Cannot read the rules file"))
        #expect(try Self.folderBytes(sandbox.storePath) == before)
        #expect(try sandbox.changeCount() == 0)
    }

    @Test("a page without a report exits 1 naming what it lacks and suggesting --dry-run and --rules")
    func unparsablePage() async throws {
        let sandbox = try await CLISandbox.initialized()
        let file = try sandbox.write("notes.txt", text: "分享到\n今天开会讨论了下学期的安排。\n大家发言踊跃。\n")
        let result = await sandbox.run("import", file)
        #expect(result.status == 1)
        #expect(result.errorLines.count == 1)
        let error = try #require(result.errorLines.first)
        #expect(error.hasPrefix("error: notes.txt contains no recognisable report: it has no title line naming a kind of report"))
        #expect(error.contains("no report marker (篇一:"))
        #expect(error.contains("no numbered headings (一、"))
        #expect(error.contains("rules dropped 1 of its 3 lines"))
        #expect(error.contains("`margin import --dry-run \(file)`"))
        #expect(error.contains("`--rules FILE`"))
        #expect(try sandbox.changeCount() == 0)

        // Its dry run shows the lines, then the same error, and exits 1.
        let dry = await sandbox.run("import", "--dry-run", file)
        #expect(dry.status == 1)
        #expect(dry.lines.first == "notes.txt: 0 reports, 3 dropped lines")
        #expect(dry.lines.contains("    line 2 before first report: 今天开会讨论了下学期的安排。"))
        #expect(dry.errorLines == [error])
    }

    @Test("when a rule dropped the line that would have been the title, the error names the line and the rule")
    func titleDroppedByARule() async throws {
        let sandbox = try await CLISandbox.initialized()
        let file = try sandbox.write("page.txt", text: "分享到\n镇中心学校2024年春季学期工作总结\n\n本学期各项工作进展顺利。\n")
        #expect(await sandbox.run("import", "--dry-run", file).status == 0, "the standard rules find its title")
        let rules = try sandbox.write("wrong.rules", text: "chrome contains 镇中心学校\n")
        let result = await sandbox.run("import", "--rules", rules, file)
        #expect(result.status == 1)
        let error = try #require(result.errorLines.first)
        #expect(error.contains("rules dropped 2 of its 3 lines, among them line 2 (“镇中心学校2024年春季学期工作总结”), which would start one, dropped by the rule “chrome contains 镇中心学校”"), "\(error)")
        #expect(try sandbox.changeCount() == 0)
    }
}
