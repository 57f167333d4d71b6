import GRDB
import MarginCore

/// A report with all its sections, tags and annotations, for `margin export`.
public struct ReportExport: Sendable, Codable, Equatable {
    /// The report identity.
    public var id: RecordID
    /// The report title.
    public var title: String
    /// The revision exported.
    public var revision: RevisionID
    /// Every section, in document order, with its text, tags and live annotations.
    public var sections: [SectionDetail]

    /// The report as Markdown: headings by level, text, tags, and annotations as quoted notes.
    public func markdown() -> String {
        var lines = ["# \(title)", ""]
        for section in sections {
            if section.level > 0 {
                lines += [String(repeating: "#", count: min(6, section.level + 1)) + " \(section.label)\(section.heading)", ""]
            }
            if !section.tags.isEmpty { lines += ["Tags: " + section.tags.map { "#\($0)" }.joined(separator: " "), ""] }
            lines += section.text.components(separatedBy: "\n").flatMap { [$0, ""] }
            for annotation in section.annotations {
                let quote = annotation.anchor.map { "“\($0.quote)” — " } ?? ""
                let marker = annotation.conflicted ? " (in conflict)" : ""
                lines += ["> **\(annotation.author)**\(marker): \(quote)\(annotation.text)", ""]
            }
        }
        return lines.joined(separator: "\n")
    }
}

extension MarginStore {
    /// Everything about one report.
    public func export(_ reference: String) throws -> ReportExport {
        try read { db in
            let resolved = try Self.resolve(reference, db)
            guard case let .report(id) = resolved else {
                throw MarginStoreError(.wrongReferenceKind(reference, expected: "report", actual: resolved.kindName))
            }
            let outline = try Self.outline(id, db)
            let sections = try outline.sections.map { try Self.sectionDetail($0.id, db) }
            return ReportExport(id: id, title: outline.title, revision: outline.revision, sections: sections)
        }
    }
}
