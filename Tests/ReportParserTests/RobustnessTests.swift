import Testing
@testable import ReportParser

/// Pages assembled at random from label fragments, markers and rule phrases: the parser either
/// finds reports whose sections are well formed or says it found none; it never traps.
@Suite("Robustness on random pages")
struct RobustnessTests {
    static let fragments = [
        "第", "第一", "第一部分", "第二章：", "第三节", "第1篇 教育局工作总结", "篇一:", "【篇二】", "【篇", "篇", "总结篇一", " 篇1",
        "一", "一、", "一.", "一．", "二、", "三、", "十", "十二、", "（", "（一）", "(二)", "（ 三 ）", "1", "1、", "1 、", "2.", "3．",
        "（1）", "(2)", "。", "！", "? ", " ", "\u{3000}", "工作总结", "教育局年度工作报告", "(通用3篇)", "5篇", "范文", "作者：",
        "阅读：12", "2023-01-02", ".docx", "文档简介", "已阅读3页", "下载提示", "版权声明", "当前位置: 首页 > 总结", "相关范文",
        "正文一句话。", "全县共有学校三十所，", "\n", "\n", "\n\n",
    ]

    /// A small deterministic generator (SplitMix64), so a failure replays.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func randomPagesNeverTrap() {
        var generator = Generator(state: 11)
        var parsed = 0
        for _ in 0..<1500 {
            let count = Int(generator.next() % 60) + 1
            var page = ""
            for _ in 0..<count { page += Self.fragments[Int(generator.next() % UInt64(Self.fragments.count))] }
            if generator.next() % 4 == 0 { page = String(repeating: page.replacingOccurrences(of: "\n", with: " "), count: 3) }
            do throws(ReportParserError) {
                let reports = try ReportParser.parse(text: page, fileName: "random.txt")
                parsed += 1
                for report in reports {
                    #expect(report.sections.first?.level == 0)
                    for (index, section) in report.sections.enumerated().dropFirst() {
                        #expect((1...6).contains(section.level))
                        #expect(section.parentIndex.map { $0 < index && report.sections[$0].level < section.level } == true)
                        #expect(section.heading.count <= 60)
                    }
                }
            } catch {
                #expect(error.kind == .noReportFound || error.kind == .emptyFile)
            }
        }
        #expect(parsed > 100)
    }
}
