import Foundation
import Testing
@testable import ReportParser

@Suite("Golden outlines of the seed files")
struct GoldenTests {
    static let expectedCounts = ["000": 2, "001": 1, "002": 4, "003": 1, "004": 12]

    @Test func seedsArePresent() {
        #expect(Seeds.fileNames.map(Seeds.number) == ["000", "001", "002", "003", "004"])
    }

    @Test(arguments: Seeds.fileNames)
    func reportCount(file: String) throws {
        let reports = try ReportParser.parse(data: Seeds.data(file), fileName: file)
        #expect(reports.count == Self.expectedCounts[Seeds.number(file)])
    }

    @Test func totalIsTwenty() throws {
        let total = try Seeds.fileNames.reduce(0) { $0 + (try ReportParser.parse(data: Seeds.data($1), fileName: $1).count) }
        #expect(total == 20)
    }

    @Test func titles() throws {
        func titles(_ number: String) throws -> [String] {
            let file = try #require(Seeds.fileNames.first { $0.hasPrefix(number) })
            return try ReportParser.parse(data: Seeds.data(file), fileName: file).map(\.title)
        }
        #expect(try titles("000") == ["篇一:2017年度教育局工作總結(jié)", "篇二:2017年度教育局工作總結(jié)"])
        #expect(try titles("001") == ["靖江市教育局年度工作报告|教育局纪检专干年度工作报告"])
        #expect(try titles("002") == ["2016年11月教育局宣传工作总结", "教育局思想宣传工作总结",
                                      "2016年11月市教育局工作总结", "2016年11月教育局人事科工作总结"])
        #expect(try titles("003") == ["市教育局年度工作总结及下一年工作计划"])
        let fourth = try titles("004")
        #expect(fourth.count == 12)
        for (index, title) in fourth.enumerated() {
            #expect(title.hasPrefix("第\(index + 1)篇 "))
        }
        #expect(fourth.first == "第1篇 县教育局教育工作目标管理考评总结")
        #expect(fourth[2] == "第3篇 县教育局2022年工作总结和2023年工作要点")
        #expect(fourth.last == "第12篇 2022县教育局工作总结范文及2022年工作计划")
    }

    @Test(arguments: Seeds.fileNames)
    func outlineMatchesFixture(file: String) throws {
        let reports = try ReportParser.parse(data: Seeds.data(file), fileName: file)
        try Seeds.checkGolden(Seeds.outline(reports), fixture: "\(Seeds.number(file)).outline.txt")
    }

    @Test(arguments: Seeds.fileNames)
    func droppedLinesMatchFixture(file: String) throws {
        let analysis = try ReportParser.analyze(text: Seeds.text(file), fileName: file)
        try Seeds.checkGolden(Seeds.dropped(analysis), fixture: "\(Seeds.number(file)).dropped.txt")
    }
}
