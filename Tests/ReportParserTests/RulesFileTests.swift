import Foundation
import Testing
@testable import ReportParser

/// The rules-file format, the precedence of a user's rules over the standard ones, and `readPage`.
@Suite("Rules files")
struct RulesFileTests {
    /// One rule line and the rule it must read as.
    struct Case: Sendable, CustomTestStringConvertible {
        var line: String
        var kind: FurnitureRule.Kind
        var role: FurnitureRule.Role
        var pattern: String
        var maxLength: Int?
        var testDescription: String { line }
    }

    static let everyRoleAndKind: [Case] = [
        Case(line: "chrome prefix 当前位置", kind: .linePrefix, role: .chrome, pattern: "当前位置"),
        Case(line: "chrome contains 免责声明", kind: .lineContains, role: .chrome, pattern: "免责声明"),
        Case(line: "chrome containsAny 分享到|收藏本文 max=40", kind: .lineContainsAny, role: .chrome, pattern: "分享到|收藏本文", maxLength: 40),
        Case(line: #"metadata regex ^(作者|编辑)\s*[:：]"#, kind: .regex, role: .metadata, pattern: #"^(作者|编辑)\s*[:：]"#),
        Case(line: "trailer regex ^相关文章", kind: .trailerMarker, role: .chrome, pattern: "^相关文章"),
        Case(line: "collectionHeader regex 范文大全$", kind: .regex, role: .collectionHeader, pattern: "范文大全$"),
        Case(line: #"documentName regex \.docx$ max=60"#, kind: .regex, role: .documentName, pattern: #"\.docx$"#, maxLength: 60),
        Case(line: "text prefix 来源：", kind: .linePrefix, role: .text, pattern: "来源："),
        // The pattern is the rest of the line, spaces inside it included; surrounding spaces are not.
        Case(line: "  chrome\tcontains   本站 广告位招租  ", kind: .lineContains, role: .chrome, pattern: "本站 广告位招租"),
        // max= glued to the pattern is part of the pattern.
        Case(line: "chrome contains 参数max=3", kind: .lineContains, role: .chrome, pattern: "参数max=3"),
    ]

    @Test(arguments: everyRoleAndKind)
    func readsEveryRoleAndKind(_ expected: Case) throws {
        let rules = try FurnitureRules.parse(text: expected.line, source: "my.rules").rules
        try #require(rules.count == 1)
        #expect(rules[0].kind == expected.kind)
        #expect(rules[0].role == expected.role)
        #expect(rules[0].pattern == expected.pattern)
        #expect(rules[0].maxLength == expected.maxLength)
    }

    @Test func commentsBlankLinesAndLineEndings() throws {
        let text = "\u{FEFF}# a comment\r\n\r\n   # an indented comment\r\nchrome contains 广告\r\n\n\u{3000}\ntext prefix 来源：\n"
        let rules = try FurnitureRules.parse(text: text, source: "my.rules").rules
        #expect(rules.map(\.description) == ["chrome contains 广告", "text prefix 来源："])
    }

    /// A rule written out by `description` reads back as the same rule: the standard table's own text proves it.
    @Test func everyStandardRuleRoundTrips() throws {
        let standard = FurnitureRules.standard.rules
        #expect(standard.count >= 25)
        let written = standard.map(\.description).joined(separator: "\n")
        #expect(try FurnitureRules.parse(text: written, source: "written").rules == standard)
        #expect(FurnitureRules.standard.invalidPatterns.isEmpty)
        #expect(Set(standard.map(\.role)) == [.chrome, .metadata, .collectionHeader, .documentName])
        #expect(standard.contains { $0.kind == .trailerMarker })
    }

    /// A broken line, the line number the error must name, and a fragment of what it must say.
    static let brokenFiles: [(text: String, line: Int, says: String)] = [
        ("# ok\nchrom contains 广告", 2, "unknown role “chrom”"),
        ("chrome contain 广告", 1, "unknown kind “contain”"),
        ("\n\nchrome", 3, "needs a kind and a pattern"),
        ("chrome contains", 1, "has no pattern"),
        ("chrome contains max=4", 1, "has no pattern"),
        ("trailer prefix 相关文章", 1, "a trailer rule takes a regular expression"),
        ("chrome regex ^(作者", 1, "is not a valid regular expression"),
        ("chrome regex ^\\s*", 1, "matches an empty line"),
        ("chrome containsAny 分享到||收藏", 1, "empty phrase"),
        ("chrome contains 广告 max=0", 1, "“max=0” is not a length limit"),
        ("chrome contains 广告 max=abc", 1, "“max=abc” is not a length limit"),
    ]

    @Test(arguments: brokenFiles.indices)
    func errorsNameFileLineAndProblem(_ index: Int) {
        let broken = Self.brokenFiles[index]
        do throws(ReportParserError) {
            _ = try FurnitureRules.parse(text: broken.text, source: "site.rules")
            Issue.record("expected an error for \(broken.text)")
        } catch {
            #expect(error.kind == .invalidRule(line: broken.line))
            #expect(error.description.hasPrefix("site.rules:\(broken.line): "), "\(error.description)")
            #expect(error.description.contains(broken.says), "\(error.description)")
        }
    }

    @Test func rulesFileMustBeUTF8() {
        #expect(throws: ReportParserError(.undecodable, fileName: "gbk.rules", detail: "a rules file is UTF-8 text")) {
            try FurnitureRules.parse(data: Data([0x63, 0x68, 0xB9, 0xE3, 0xB8, 0xE6]), source: "gbk.rules")
        }
    }

    // MARK: - Precedence

    static let page = """
        镇中心学校2024年春季学期工作总结
        来源：镇中心学校办公室

        本学期，中心学校围绕年初计划扎实推进各项工作。
        一、教学管理
        严格执行课程计划，开齐开足各类课程。
        本节数据仅供参考，以年终统计为准。
        本站广告位招租
        """

    static func user(_ text: String) throws -> FurnitureRules {
        try FurnitureRules.parse(text: text, source: "user.rules").adding(FurnitureRules.standard.rules)
    }

    @Test func textRuleKeepsWhatAStandardRuleDrops() throws {
        let standard = try ReportParser.parse(text: Self.page, fileName: "p.txt")
        #expect(!standard[0].sections[0].text.contains("来源："))
        #expect(!standard[0].sections[1].text.contains("仅供参考"))

        let kept = try ReportParser.parse(text: Self.page, fileName: "p.txt", rules: try Self.user("text prefix 来源：\ntext contains 以年终统计为准"))
        #expect(kept[0].title == "镇中心学校2024年春季学期工作总结")
        #expect(kept[0].sections[0].text.hasPrefix("来源：镇中心学校办公室\n"))
        #expect(kept[0].sections[1].text.contains("本节数据仅供参考，以年终统计为准。"))
    }

    @Test func chromeRuleDropsALineTheStandardRulesKeep() throws {
        #expect(try ReportParser.parse(text: Self.page, fileName: "p.txt")[0].sections[1].text.hasSuffix("本站广告位招租"))
        let reports = try ReportParser.parse(text: Self.page, fileName: "p.txt", rules: try Self.user("chrome contains 广告位招租"))
        // (The "for reference" sentence before it is dropped by a standard rule either way.)
        #expect(reports[0].sections[1].text.hasSuffix("开齐开足各类课程。"))
    }

    @Test func firstMatchingUserRuleWins() throws {
        // The text rule comes first, so the chrome rule after it never drops the line.
        let rules = try Self.user("text contains 广告位\nchrome contains 广告位招租")
        #expect(rules.match("本站广告位招租") == nil)
        #expect(rules.firstMatch("本站广告位招租")?.description == "text contains 广告位")
        #expect(try Self.user("chrome contains 广告位招租\ntext contains 广告位").match("本站广告位招租")?.role == .chrome)
    }

    // MARK: - Reading a page

    static let furniturePage = """
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
        分享到
        相关文章
        镇中心学校2023年秋季学期工作总结
        """

    @Test func readPageGivesEveryDroppedLineItsRoleAndRule() throws {
        let reading = try ReportParser.readPage(text: Self.furniturePage, fileName: "p.txt")
        #expect(reading.reports.count == 1)
        #expect(reading.reports == (try ReportParser.parse(text: Self.furniturePage, fileName: "p.txt")))
        #expect(reading.titleLineNumbers == [2])
        let dropped = reading.droppedLines
        #expect(dropped.map(\.number) == [1, 3, 4, 12, 13, 14])
        #expect(dropped.map(\.role) == [.chrome, .metadata, .metadata, .chrome, .trailer, .trailer])
        let rules = dropped.map { $0.rule?.description ?? "" }
        #expect(rules[0].hasPrefix("chrome regex ^(当前位置"))
        #expect(rules[1].hasPrefix("metadata regex ^(来源"))
        #expect(rules[2].hasPrefix("metadata regex ^(阅读|閱讀|浏览"))
        #expect(rules[3].hasPrefix("chrome containsAny 分享到|"))
        #expect(rules[4].hasPrefix("trailer regex ^(相关范文|相关文章"))
        #expect(rules[5] == rules[4], "a line inside a related-article list names the trailer rule that started it")
        #expect(reading.lines.filter { $0.role == .body }.count == 6)
    }

    @Test func readPageOfAPageWithoutReportsSaysWhichRuleHidTheTitle() throws {
        let page = "（内部资料）镇中心学校工作总结\n\n本学期各项工作进展顺利。\n"
        #expect(try ReportParser.readPage(text: page, fileName: "p.txt").reports.count == 1)

        let reading = try ReportParser.readPage(text: page, fileName: "p.txt", rules: try Self.user("chrome prefix （内部资料）"))
        #expect(reading.reports.isEmpty)
        #expect(reading.startsDroppedByRules.map(\.number) == [1])
        #expect(reading.startsDroppedByRules.first?.rule?.description == "chrome prefix （内部资料）")
        #expect(throws: ReportParserError(.noReportFound, fileName: "p.txt")) {
            try ReportParser.parse(text: page, fileName: "p.txt", rules: try Self.user("chrome prefix （内部资料）"))
        }
    }

    @Test func lineNumbersOfAFlattenedPageAreTheFileLines() throws {
        let body = String(repeating: "全年各项工作稳步推进，成效明显。", count: 30)
        let page = "分享到\n县教育局2023年工作总结 一、主要工作 \(body)二、存在问题 \(body)\n"
        let reading = try ReportParser.readPage(text: page, fileName: "p.txt")
        #expect(reading.lines.map(\.number) == [1, 2, 2])
        #expect(reading.lines.map(\.role) == [.chrome, .title, .body])
    }
}
