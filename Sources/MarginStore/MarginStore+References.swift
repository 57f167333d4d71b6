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
    /// Resolves what a person typed: a report or annotation id prefix (`3f9a`), or a section as
    /// `REPORT/NUMBER` (`3f9a/2.1`, `3f9a/0` for the preamble). Full section ids are accepted too.
    public func resolve(_ reference: String) throws -> ResolvedReference {
        try read { db in try Self.resolve(reference, db) }
    }

    static func resolve(_ reference: String, _ db: Database) throws -> ResolvedReference {
        let trimmed = reference.trimmingCharacters(in: .whitespaces).lowercased()
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
        guard trimmed.count >= ShortIdentifiers.minimumLength, trimmed.allSatisfy(\.isHexDigit) else {
            throw MarginStoreError(.unknownReference(reference, expected: "reports"))
        }
        if let report = try String.fetchOne(db, sql: "SELECT report_id FROM section WHERE id = ?", arguments: [trimmed]) {
            return .section(SectionID(rawValue: trimmed), report: RecordID(rawValue: report))
        }
        let upper = trimmed + "g"
        let reports = try String.fetchAll(
            db, sql: "SELECT id FROM report WHERE id >= ? AND id < ? LIMIT 6", arguments: [trimmed, upper])
        let annotations = try String.fetchAll(
            db, sql: "SELECT id FROM annotation WHERE id >= ? AND id < ? LIMIT 6", arguments: [trimmed, upper])
        let candidates = reports.map { ResolvedReference.report(RecordID(rawValue: $0)) }
            + annotations.map { ResolvedReference.annotation(RecordID(rawValue: $0)) }
        switch candidates.count {
        case 0: throw MarginStoreError(.unknownReference(reference, expected: "reports"))
        case 1: return candidates[0]
        default:
            throw MarginStoreError(.ambiguousReference(reference, candidates: (reports + annotations).map { String($0.prefix(12)) }))
        }
    }

    static func resolveReport(_ prefix: String, original: String, _ db: Database) throws -> RecordID {
        guard prefix.count >= ShortIdentifiers.minimumLength, prefix.allSatisfy(\.isHexDigit) else {
            throw MarginStoreError(.unknownReference(original, expected: "reports"))
        }
        let reports = try String.fetchAll(
            db, sql: "SELECT id FROM report WHERE id >= ? AND id < ? LIMIT 6", arguments: [prefix, prefix + "g"])
        switch reports.count {
        case 0: throw MarginStoreError(.unknownReference(original, expected: "reports"))
        case 1: return RecordID(rawValue: reports[0])
        default: throw MarginStoreError(.ambiguousReference(original, candidates: reports.map { String($0.prefix(12)) }))
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
