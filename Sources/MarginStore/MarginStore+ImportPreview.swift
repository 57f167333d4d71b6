import GRDB
import MarginCore
import ReportParser

extension MarginStore {
    /// What ``importReports(_:fileName:replacingLaterEdits:)`` would do with these reports: the same work, in a
    /// transaction that is then rolled back, so the store is left exactly as it was. The summary says which reports
    /// would be created, revised or left unchanged, what would become of edits made since the file was last imported,
    /// and which annotations the new text would move.
    /// - Throws: what the import would throw (``MarginStoreError/Kind/importClashes(report:file:parts:)``, a report
    ///   in conflict), and ``MarginStoreError/Kind/readOnly(path:)`` for a store opened read-only.
    public func previewImport(
        _ parsed: [ParsedReport], fileName: String, replacingLaterEdits: Bool = false
    ) throws -> ImportSummary {
        try rehearse { db in try importReports(parsed, fileName: fileName, replacingLaterEdits: replacingLaterEdits, db) }
    }

    /// What ``importReport(_:fileName:as:replacingLaterEdits:)`` would do, rolled back as
    /// ``previewImport(_:fileName:replacingLaterEdits:)`` is.
    public func previewImport(
        _ parsed: [ParsedReport], fileName: String, as report: RecordID, replacingLaterEdits: Bool = false
    ) throws -> ImportSummary {
        try rehearse { db in
            try importReport(parsed, fileName: fileName, as: report, replacingLaterEdits: replacingLaterEdits, db)
        }
    }

    /// Runs `work` in a write transaction that is always rolled back, and returns what it returned.
    func rehearse<T>(_ work: (Database) throws -> T) throws -> T {
        if isReadOnly { throw MarginStoreError(.readOnly(path: path)) }
        return try storeErrors {
            try database.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try work(db)
                    return .rollback
                }
                guard let result else { preconditionFailure("a rehearsal ends with its work's result or its error") }
                return result
            }
        }
    }
}
