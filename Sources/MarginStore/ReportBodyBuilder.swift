import MarginCore
import ReportParser

/// Turns parsed reports into report bodies with deterministic report and section identities.
enum ReportBodyBuilder {
    /// Builds one body per parsed report. Titles that repeat within the same file get distinct identities
    /// by their order of appearance.
    static func bodies(for reports: [ParsedReport]) -> [(id: RecordID, body: ReportBody)] {
        var titleCounts: [[UInt8]: Int] = [:]
        return reports.map { report in
            let key = Identity.occurrenceKey([report.title])
            let occurrence = (titleCounts[key] ?? 0) + 1
            titleCounts[key] = occurrence
            let id = Identity.report(title: report.title, occurrence: occurrence)
            return (id, ReportBody(title: report.title, sections: sections(of: report, id: id)))
        }
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
