import GRDB
import MarginCore

/// What a typed reference points at.
public enum ResolvedReference: Sendable, Equatable {
    /// A report.
    case report(RecordID)
    /// A section of a report.
    case section(SectionID, report: RecordID)
    /// An annotation.
    case annotation(RecordID)

    /// A word for the kind of thing referred to, for messages.
    public var kindName: String {
        switch self {
        case .report: "report"
        case .section: "section"
        case .annotation: "annotation"
        }
    }
}

extension MarginStore {
    /// Resolves what a person typed: a report or annotation id prefix (`3f9a`, or any unique prefix of at least two
    /// characters, `3f`), or a section as `REPORT/NUMBER` (`3f9a/2.1`, `3f9a/0` for the preamble). Full section
    /// ids are accepted too.
    public func resolve(_ reference: String) throws -> ResolvedReference {
        try read { db in try Self.resolve(reference, db) }
    }

    static func resolve(_ reference: String, _ db: Database) throws -> ResolvedReference {
        let trimmed = reference.trimmingSpaces().lowercased()
        if let slash = trimmed.firstIndex(of: "/") {
            let reportPart = String(trimmed[..<slash])
            let number = String(trimmed[trimmed.index(after: slash)...])
            let report = try resolveReport(reportPart, original: reference, db)
            guard let sectionID = try String.fetchOne(
                db, sql: "SELECT id FROM section WHERE report_id = ? AND outline = ?",
                arguments: [report.rawValue, number])
            else { throw MarginStoreError(.unknownSectionNumber(report: reportPart, number: number)) }
            return .section(SectionID(rawValue: sectionID), report: report)
        }
        try checkPrefix(trimmed, original: reference)
        if let report = try String.fetchOne(db, sql: "SELECT report_id FROM section WHERE id = ?", arguments: [trimmed]) {
            return .section(SectionID(rawValue: trimmed), report: RecordID(rawValue: report))
        }
        let reports = try PrefixMatches(table: "report", prefix: trimmed, db)
        let annotations = try PrefixMatches(table: "annotation", prefix: trimmed, db)
        switch (reports.count, annotations.count) {
        case (0, 0): throw MarginStoreError(.unknownReference(reference, expected: "reports"))
        case (1, 0): return .report(RecordID(rawValue: reports.ids[0]))
        case (0, 1): return .annotation(RecordID(rawValue: annotations.ids[0]))
        default:
            throw MarginStoreError(.ambiguousPrefix(
                reference, reports: reports.count, annotations: annotations.count,
                neededLength: try PrefixMatches.neededLength(reports, annotations, db)))
        }
    }

    static func resolveReport(_ prefix: String, original: String, _ db: Database) throws -> RecordID {
        try checkPrefix(prefix, original: original)
        let reports = try PrefixMatches(table: "report", prefix: prefix, db)
        switch reports.count {
        case 0: throw MarginStoreError(.unknownReference(original, expected: "reports"))
        case 1: return RecordID(rawValue: reports.ids[0])
        default:
            throw MarginStoreError(.ambiguousPrefix(
                original, reports: reports.count, annotations: 0,
                neededLength: try PrefixMatches.neededLength(reports, PrefixMatches.none, db)))
        }
    }

    /// Identity prefixes are hexadecimal and at least ``ShortIdentifiers/shortestPrefix`` characters long: one
    /// character would match a sixteenth of the store.
    private static func checkPrefix(_ prefix: String, original: String) throws {
        guard prefix.allSatisfy(\.isHexDigit) else {
            throw MarginStoreError(.unknownReference(original, expected: "reports"))
        }
        guard prefix.count >= ShortIdentifiers.shortestPrefix else {
            throw MarginStoreError(.referenceTooShort(original, minimum: ShortIdentifiers.shortestPrefix))
        }
    }

    /// Resolves a reference that must be a section.
    static func resolveSection(_ reference: String, _ db: Database) throws -> (section: SectionID, report: RecordID) {
        let resolved = try resolve(reference, db)
        guard case let .section(section, report) = resolved else {
            throw MarginStoreError(.wrongReferenceKind(reference, expected: "section (like 3f9a/2.1)", actual: resolved.kindName))
        }
        return (section, report)
    }

    /// Resolves a reference that must be an annotation.
    static func resolveAnnotation(_ reference: String, _ db: Database) throws -> RecordID {
        let resolved = try resolve(reference, db)
        guard case let .annotation(id) = resolved else {
            throw MarginStoreError(.wrongReferenceKind(reference, expected: "annotation", actual: resolved.kindName))
        }
        return id
    }
}
