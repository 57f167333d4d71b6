import Foundation
import Testing
@testable import ReportParser

/// Hand-written pages in the forms report sites use (our own text), each with an outline
/// written by reading the page, not by running the parser.
@Suite("Forms of the genre")
struct FormTests {
    static let formsDirectory = Seeds.fixturesDirectory.appendingPathComponent("forms")

    static let names: [String] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: formsDirectory.path)) ?? []
        return files.filter { $0.hasSuffix(".txt") && !$0.hasSuffix(".outline.txt") }.map { String($0.dropLast(4)) }.sorted()
    }()

    /// Lines of page furniture and metadata in the fixtures; none may reach a report.
    static let furniture = ["仅供参考", "欢迎阅读", "(通用3篇)", "5篇", "【篇", "作者：", "阅读：", "字号", "来源：镇中心学校办公室",
                            "编辑：", "浏览次数", "导语", "推荐度", "2023-12-28", ".docx", "文档简介", "分享", "已阅读",
                            "下载提示", "版权声明", "來源：", "作者：陳", "精选4篇", "小编", "上传时间", "格式：", "页数：",
                            "供同行交流", "可以借鉴", "作者：教务处", "来源：城南小学", "学习资料站", "本站", "发布时间", "浏览：",
                            "网友上传", "展开阅读", "免费下载", "歡迎閱讀", "發佈時間", "辦公室", "信息来源", "录入：", "索引号",
                            "分享：", "责任编辑", "主办单位", "邮编", "网站标识码", "ICP备", "公网安备", "扫一扫"]

    static func outline(_ reports: [ParsedReport]) -> String {
        var lines = Seeds.outline(reports).components(separatedBy: "\n")
        var report = 0
        for index in lines.indices where lines[index].hasPrefix("# ") {
            if reports[report].titleSource != .titleLine { lines[index] += " (title from \(reports[report].titleSource.rawValue))" }
            report += 1
        }
        return lines.joined(separator: "\n")
    }

    static func parse(_ name: String) throws -> [ParsedReport] {
        let data = try Data(contentsOf: formsDirectory.appendingPathComponent("\(name).txt"))
        return try ReportParser.parse(data: data, fileName: "\(name).txt")
    }

    @Test func everyFormHasAFixture() {
        #expect(Self.names.count >= 21)
    }

    @Test(arguments: names)
    func outlineAsAPersonReadsIt(name: String) throws {
        let expected = try String(contentsOf: Self.formsDirectory.appendingPathComponent("\(name).outline.txt"), encoding: .utf8)
        #expect(Self.outline(try Self.parse(name)) == expected)
    }

    @Test(arguments: names)
    func noFurnitureInReports(name: String) throws {
        for report in try Self.parse(name) {
            for marker in Self.furniture {
                #expect(!report.title.contains(marker) || marker == "5篇", "\(name): title \(report.title)")
                for section in report.sections {
                    #expect(!section.text.contains(marker), "\(name) \(section.label): contains \(marker)")
                }
            }
        }
    }

    /// Prints how many forms parse exactly, so a regression shows as a number.
    @Test func summary() throws {
        var exact: [String] = []
        for name in Self.names {
            let expected = try String(contentsOf: Self.formsDirectory.appendingPathComponent("\(name).outline.txt"), encoding: .utf8)
            if Self.outline(try Self.parse(name)) == expected { exact.append(name) }
        }
        print("forms parsed exactly: \(exact.count) of \(Self.names.count)")
        #expect(exact.count == Self.names.count)
    }

    @Test func dateAfterTheTextIsText() throws {
        let report = try #require(try Self.parse("metadata").first)
        #expect(report.sections.last?.text.hasSuffix("2023年12月28日") == true)
        #expect(report.sections.last?.text.contains("来源：县财政") == true)
    }
}
