import MarginCore
import ReportParser

/// Turns parsed reports into report bodies whose section identities derive from their report's identity.
enum ReportBodyBuilder {
    /// The source of each report of a file: its file name and title, and its occurrence when a title repeats
    /// within the file (by order of appearance).
    static func sources(for reports: [ParsedReport], fileName: String) -> [ReportSource] {
        var titleCounts: [[UInt8]: Int] = [:]
        let file = ReportSource.fileName(of: fileName)
        return reports.map { report in
            let key = Identity.occurrenceKey([report.title])
            let occurrence = (titleCounts[key] ?? 0) + 1
            titleCounts[key] = occurrence
            return ReportSource(file: file, title: report.title, occurrence: occurrence)
        }
    }

    /// The body of `report` as record `id`.
    static func body(of report: ParsedReport, id: RecordID, source: ReportSource?) -> ReportBody {
        ReportBody(title: report.title, sections: sections(of: report, id: id), source: source)
    }

    private static func sections(of report: ParsedReport, id: RecordID) -> [SectionBody] {
        var ids: [SectionID] = []
        var paths: [[String]] = []
        var pathCounts: [[UInt8]: Int] = [:]
        var bodies: [SectionBody] = []
        for (index, section) in report.sections.enumerated() {
            let sectionID: SectionID
            let path: [String]
            if index == 0 || section.level == 0 {
                path = []
                sectionID = Identity.preamble(report: id)
            } else {
                let parentPath = section.parentIndex.map { paths[$0] } ?? []
                // The heading text, not its numbering, identifies a section, so renumbering keeps identities.
                path = parentPath + [section.heading.isEmpty ? section.label : section.heading]
                let key = Identity.occurrenceKey(path)
                let occurrence = (pathCounts[key] ?? 0) + 1
                pathCounts[key] = occurrence
                sectionID = Identity.section(report: id, headingPath: path, occurrence: occurrence)
            }
            ids.append(sectionID)
            paths.append(path)
            bodies.append(SectionBody(
                id: sectionID, level: section.level, label: section.label, heading: section.heading,
                text: section.text, parent: section.parentIndex.map { ids[$0] }))
        }
        return bodies
    }
}
