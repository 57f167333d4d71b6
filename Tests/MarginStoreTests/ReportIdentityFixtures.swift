import Foundation
import MarginCore
import ReportParser
@testable import MarginStore

/// Two different reports that share a title, and a later version of the first, in our own words.
enum ReportIdentityFixtures {
    static let title = "2024年教育局工作总结"
    static let eastFile = "东城区教育局2024年工作总结.txt"
    static let westFile = "西城区教育局2024年工作总结.txt"

    static let east = """
        2024年教育局工作总结

        今年以来，我局坚持立德树人根本任务，全面推进各项工作。

        一、主要工作

        （一）办学条件持续改善

        全年新建校舍三万平方米，完成十二所学校的操场改造。

        （二）教师队伍不断加强

        组织教师培训四十场，新招聘教师一百二十名。

        二、存在的问题

        城乡之间教育资源仍不均衡，部分学校班额偏大。

        三、明年工作打算

        继续推进集团化办学，扩大优质教育资源覆盖面。
        """

    /// `east` a month later: a sentence added before the training figures, so a quote there moves.
    static let eastRevised = east.replacingOccurrences(
        of: "组织教师培训四十场", with: "全年共投入培训经费八百万元。组织教师培训四十场")

    static let west = """
        2024年教育局工作总结

        一、基本情况

        全区共有中小学四十六所，在校学生五万余人。

        二、重点工作完成情况

        学前教育普惠率达到百分之九十，义务教育巩固率保持稳定。

        三、下一步工作

        着力提升课后服务质量，办好人民满意的教育。
        """

    /// One file holding two reports with the same title (a collection page of two bureaus' reports).
    static let twoInOne = """
        【篇一】
        2024年教育局工作总结

        一、主要工作

        新建校舍三万平方米。

        【篇二】
        2024年教育局工作总结

        一、基本情况

        全区共有中小学四十六所。
        """

    /// Writes `text`'s reports as a store did before it recorded sources: identities from the title and its
    /// occurrence alone, bodies without a source.
    static func writeAsBeforeSources(_ text: String, into store: MarginStore) throws -> [RecordID] {
        let parsed = try ReportParser.parse(data: Data(text.utf8), fileName: "old.txt")
        var counts: [String: Int] = [:]
        return try store.write { db in
            try parsed.map { report in
                counts[report.title, default: 0] += 1
                let id = Identity.report(title: report.title, occurrence: counts[report.title]!)
                let body = ReportBodyBuilder.body(of: report, id: id, source: nil)
                _ = try RevisionLedger.appendLocal(
                    db, peer: store.peer, at: 1_700_000_000_000, record: id, kind: .report, body: BodyCoding.encode(body))
                return id
            }
        }
    }
}
