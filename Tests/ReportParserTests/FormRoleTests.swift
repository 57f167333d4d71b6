import Foundation
import Testing
@testable import ReportParser

/// The role of every line that is not report text in the form fixtures, written from the
/// fixtures themselves: `L<n> <role>`, everything else is body.
@Suite("Line roles of the form fixtures")
struct FormRoleTests {
    static let expected: [String: [String]] = [
        "bracket-markers": ["L1 collection-header", "L3 report-marker", "L4 title", "L5 metadata", "L6 metadata",
                            "L7 metadata", "L15 report-marker"],
        "metadata": ["L1 title", "L2 metadata", "L3 metadata", "L4 metadata", "L5 metadata", "L6 metadata",
                     "L7 metadata", "L8 furniture"],
        "preview": ["L1 furniture", "L2 furniture", "L3 furniture", "L8 furniture", "L9 furniture", "L10 furniture"],
        "suffix-markers": ["L1 collection-header", "L3 furniture", "L5 title", "L13 title", "L20 title"],
        "traditional": ["L1 title", "L2 metadata", "L3 metadata", "L12 title"],
        "headings": ["L1 title"],
        "inline-heading": ["L1 title"],
        "indentation": ["L1 title"],
        "collection-titles": ["L1 collection-header", "L3 furniture", "L5 title", "L6 metadata", "L7 metadata", "L8 metadata",
                              "L16 title", "L28 title", "L34 title"],
        "untitled-heading": [],
        "bare-number-markers": ["L1 collection-header", "L2 collection-header", "L4 before-first-report", "L6 title",
                                "L12 title", "L20 title"],
        "bare-chinese-markers": ["L1 before-first-report", "L2 before-first-report", "L3 before-first-report", "L5 title",
                                 "L6 metadata", "L13 title", "L14 metadata", "L25 title"],
        "page-title-intro": ["L1 before-first-report", "L3 before-first-report", "L5 title", "L6 furniture", "L7 metadata"],
        "repeated-page-title": ["L1 title", "L2 repeated-title"],
        "unnumbered-headings": ["L1 title"],
        "preview-chunks": ["L1 furniture", "L2 furniture", "L3 furniture", "L11 furniture", "L12 furniture"],
        "traditional-collection": ["L1 collection-header", "L3 furniture", "L5 report-marker", "L6 title", "L7 furniture",
                                   "L8 metadata", "L22 report-marker", "L23 title", "L30 report-marker"],
        "untitled-filename": [],
        "government-site": ["L1 furniture", "L2 title", "L3 metadata", "L4 metadata", "L5 furniture", "L18 furniture",
                            "L19 furniture", "L20 furniture", "L21 furniture", "L22 furniture", "L23 furniture"],
    ]

    static func roles(_ name: String) throws -> [String] {
        let text = try String(contentsOf: FormTests.formsDirectory.appendingPathComponent("\(name).txt"), encoding: .utf8)
        let analysis = try ReportParser.analyze(text: text, fileName: "\(name).txt")
        return analysis.classification.roles.enumerated().compactMap { index, role in
            let kind: String
            switch role {
            case .blank, .body: return nil
            case .furniture: kind = "furniture"
            case .collectionHeader: kind = "collection-header"
            case .metadata: kind = "metadata"
            case .reportMarker: kind = "report-marker"
            case .beforeFirstReport: kind = "before-first-report"
            case .title: kind = "title"
            case .repeatedTitle: kind = "repeated-title"
            }
            return "L\(index + 1) \(kind)"
        }
    }

    @Test(arguments: expected.keys.sorted())
    func droppedLines(name: String) throws {
        #expect(try Self.roles(name) == Self.expected[name])
    }
}
