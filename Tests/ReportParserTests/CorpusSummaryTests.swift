import Foundation
import Testing
@testable import ReportParser

/// Every page with an outline written by eye: the form fixtures, the held-out pages, the numbering forms and the five
/// seeds.
struct CorpusPage: Sendable, CustomStringConvertible {
    /// `forms/headings`, `unseen/news-portal`, `numbering/brackets`, `seeds/001`.
    var name: String
    var source: URL
    var expectedOutline: URL

    var description: String { name }

    static let all: [CorpusPage] = fixturePages(in: "forms") + fixturePages(in: "unseen") + fixturePages(in: "numbering")
        + seedPages

    static func fixturePages(in folder: String) -> [CorpusPage] {
        let directory = Seeds.fixturesDirectory.appendingPathComponent(folder)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".txt") && !$0.hasSuffix(".outline.txt") }.sorted().map { file in
            let stem = String(file.dropLast(4))
            return CorpusPage(name: "\(folder)/\(stem)", source: directory.appendingPathComponent(file),
                              expectedOutline: directory.appendingPathComponent("\(stem).outline.txt"))
        }
    }

    static let seedPages: [CorpusPage] = Seeds.fileNames.map { file in
        CorpusPage(name: "seeds/\(Seeds.number(file))", source: Seeds.seedsDirectory.appendingPathComponent(file),
                   expectedOutline: Seeds.fixturesDirectory.appendingPathComponent("\(Seeds.number(file)).outline.txt"))
    }

    /// The page's outline as the parser reads it, in the form the outline files are written in.
    func parsedOutline() throws -> String {
        let data = try Data(contentsOf: source)
        return FormTests.outline(try ReportParser.parse(data: data, fileName: source.lastPathComponent))
    }

    func expected() throws -> String {
        try String(contentsOf: expectedOutline, encoding: .utf8)
    }
}

/// How close a parsed outline is to the one written by reading the page.
///
/// - exact: the outlines are equal, line for line (titles, every heading, every section's line count);
/// - minor: the same reports with the same titles, and in each report the same top-level headings
///   (label and heading; their line counts may differ): what differs is only below the top level
///   (sub-headings, line counts, the preamble);
/// - wrong: anything else (a report missing, invented or retitled, a top-level heading missed or invented).
enum OutlineAgreement: String, Sendable {
    case exact, minor, wrong

    static func compare(parsed: String, expected: String) -> OutlineAgreement {
        if parsed == expected { return .exact }
        return skeleton(parsed) == skeleton(expected) ? .minor : .wrong
    }

    /// Per report: its title and its top-level headings without their line counts.
    static func skeleton(_ outline: String) -> [[String]] {
        var reports: [[String]] = []
        for line in outline.split(separator: "\n") {
            if line.hasPrefix("# ") {
                reports.append([String(line)])
            } else if !reports.isEmpty, !line.hasPrefix(" "), !line.hasPrefix("(preamble)") {
                let withoutCount = line.range(of: " [", options: .backwards).map { line[..<$0.lowerBound] } ?? line[...]
                reports[reports.count - 1].append(String(withoutCount))
            }
        }
        return reports
    }
}

@Suite("Corpus summary")
struct CorpusSummaryTests {
    @Test func definitionsOfAgreement() {
        let expected = "reports: 1\n\n# 标题\n(preamble) [1]\n一、 甲 [2]\n  （一） 乙 [1]\n二、 丙 [1]\n"
        #expect(OutlineAgreement.compare(parsed: expected, expected: expected) == .exact)
        let subsectionMissed = "reports: 1\n\n# 标题\n(preamble) [1]\n一、 甲 [3]\n二、 丙 [1]\n"
        #expect(OutlineAgreement.compare(parsed: subsectionMissed, expected: expected) == .minor)
        let topLevelMissed = "reports: 1\n\n# 标题\n(preamble) [1]\n一、 甲 [2]\n  （一） 乙 [2]\n"
        #expect(OutlineAgreement.compare(parsed: topLevelMissed, expected: expected) == .wrong)
        let retitled = expected.replacingOccurrences(of: "# 标题", with: "# 别的标题")
        #expect(OutlineAgreement.compare(parsed: retitled, expected: expected) == .wrong)
    }

    @Test func everyPartOfTheCorpusIsThere() {
        let names = CorpusPage.all.map(\.name)
        #expect(names.filter { $0.hasPrefix("forms/") }.count >= 20)
        #expect((6...10).contains(names.filter { $0.hasPrefix("unseen/") }.count))
        #expect(names.filter { $0.hasPrefix("seeds/") }.count == 5)
    }

    /// One line for the whole corpus, printed whether or not every page is exact.
    @Test func summary() throws {
        var counts: [OutlineAgreement: [String]] = [.exact: [], .minor: [], .wrong: []]
        for page in CorpusPage.all {
            let agreement: OutlineAgreement
            do {
                agreement = OutlineAgreement.compare(parsed: try page.parsedOutline(), expected: try page.expected())
            } catch {
                agreement = .wrong
            }
            counts[agreement, default: []].append(page.name)
        }
        let notExact = (counts[.minor]!.map { "\($0) (minor)" } + counts[.wrong]!.map { "\($0) (wrong)" })
        print("corpus: \(CorpusPage.all.count) pages; parsed exactly \(counts[.exact]!.count), with minor defects "
              + "\(counts[.minor]!.count), wrongly \(counts[.wrong]!.count)"
              + (notExact.isEmpty ? "" : "; not exact: \(notExact.joined(separator: ", "))"))
        #expect(notExact.isEmpty, "not exact: \(notExact)")
    }
}

/// Pages of site shapes the parser was not tuned on, mixing the forms; outlines written by reading them.
@Suite("Held-out pages")
struct HeldOutPageTests {
    static let pages = CorpusPage.fixturePages(in: "unseen")

    @Test(arguments: pages)
    func outlineAsAPersonReadsIt(page: CorpusPage) throws {
        #expect(try page.parsedOutline() == (try page.expected()))
    }
}
