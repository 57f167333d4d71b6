import Foundation
import Testing
@testable import ReportParser

@Suite("Invariants on the seed files")
struct InvariantTests {
    /// Fragments that only ever occur in page furniture on the seed sites.
    static let furnitureMarkers = [
        "当前位置", "相關(guān)推薦", "相关推荐", "范文大全", "来源:东星资源网", "发布时间:", "网站:公文素材库",
        "标签:", "来源:网络整理", "免责声明", "链接地址", "搜集整理", "由互联网用户整理提供", "Gz85.Com",
        "小编", "小編", "荟聚奇文", ".doc》", "Word文档下载", "推荐度", "点击下载文档", "相关范文",
        "酷猫分类查询入口", "一键复制", "相關(guān)文章", "03-11", "02-08", "热度:",
    ]

    @Test(arguments: Seeds.fileNames)
    func noFurnitureInSections(file: String) throws {
        let reports = try ReportParser.parse(data: Seeds.data(file), fileName: file)
        for report in reports {
            for section in report.sections {
                for marker in Self.furnitureMarkers {
                    #expect(!section.text.contains(marker), "\(file) \(report.title) \(section.label): contains \(marker)")
                }
                #expect(!section.text.contains("\n\n"))
                #expect(!section.text.hasPrefix("\n") && !section.text.hasSuffix("\n"))
            }
        }
    }

    /// Every non-blank seed line not listed in the reviewed NNN.dropped.txt fixture
    /// is report text and appears exactly once, in order, across all sections; a line may be cut
    /// in two where a heading starts inside it, losing only the spaces at the cut.
    @Test(arguments: Seeds.fileNames)
    func everyTextLineAppearsOnceInOrder(file: String) throws {
        let dropped = try Seeds.droppedLineNumbers(fixture: "\(Seeds.number(file)).dropped.txt")
        let text = try Seeds.text(file)
        let expected = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { index, line -> String? in
            let trimmed = LineText.trimTrailing(line)
            if trimmed.allSatisfy(\.isWhitespace) || dropped.contains(index + 1) { return nil }
            return trimmed
        }
        let reports = try ReportParser.parse(text: text, fileName: file)
        let actual = reports.flatMap { report in
            report.sections.flatMap { $0.text.isEmpty ? [] : $0.text.components(separatedBy: "\n") }
        }
        func squeezed(_ lines: [String]) -> String { String(lines.joined().filter { !$0.isWhitespace }) }
        #expect(squeezed(actual) == squeezed(expected))
        #expect(actual.count >= expected.count)
        var remaining = expected[...]
        for piece in actual {
            // Each piece is (part of) the next source line not yet used up.
            while let line = remaining.first, !line.contains(piece) { remaining = remaining.dropFirst() }
            #expect(!remaining.isEmpty, "\(file): \(piece.prefix(40)) is not a source line or part of one")
        }
    }

    @Test(arguments: Seeds.fileNames)
    func sectionStructure(file: String) throws {
        for report in try ReportParser.parse(data: Seeds.data(file), fileName: file) {
            let first = try #require(report.sections.first)
            #expect(first.level == 0 && first.label.isEmpty && first.heading.isEmpty && first.parentIndex == nil)
            for (index, section) in report.sections.enumerated().dropFirst() {
                #expect((1...4).contains(section.level))
                let parent = try #require(section.parentIndex)
                #expect(parent < index)
                #expect(report.sections[parent].level < section.level)
                // Nearest lower-level predecessor: nothing between parent and index has a lower level.
                #expect(!report.sections[(parent + 1)..<index].contains { $0.level < section.level })
                #expect(section.text.hasPrefix(section.label) || section.text.drop(while: \.isWhitespace).hasPrefix(section.label))
                #expect(section.heading.count <= 60)
            }
        }
    }

    @Test(arguments: Seeds.fileNames)
    func deterministic(file: String) throws {
        let data = try Seeds.data(file)
        let first = try ReportParser.parse(data: data, fileName: file)
        for _ in 0..<3 {
            #expect(try ReportParser.parse(data: data, fileName: file) == first)
        }
    }
}
