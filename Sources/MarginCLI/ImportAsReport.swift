import ArgumentParser
import Foundation
import MarginCore
import MarginStore
import ReportParser

/// `margin import FILE --as REPORT`: the one report of a file becomes the next revision of a chosen report.
enum ImportAsReport {
    /// Imports `file`, read by `parse` (its bytes and path to reports), as the next revision of `reference`; with
    /// `replacing`, the file's text as it is, whatever was edited since the file was last imported.
    static func run(
        file: String, as reference: String, store: MarginStore, replacing: Bool, json: Bool,
        parse: (Data, String) throws -> [ParsedReport]
    ) throws {
        let report = try ReportReference.report(reference, in: store)
        let data = try FileContents.read(file)
        let summary: ImportSummary
        do {
            let parsed = try parse(data, file)
            summary = try store.importReport(parsed, fileName: (file as NSString).lastPathComponent, as: report, replacingLaterEdits: replacing)
        } catch let error as MarginStoreError {
            if case let .notOneReport(_, count) = error.kind {
                throw ValidationError(
                    "\(file) holds \(count) reports, and --as needs a file with exactly one; import it without --as, "
                        + "or cut the report into a file of its own (margin import --dry-run \(file) shows where each starts).")
            }
            throw error
        }
        if json { return try JSONOutput.print(ImportCommand.ImportResult(imported: [summary], failed: [])) }
        ImportCommand.printSummary(summary)
    }
}

/// Resolves what a person typed to a report.
enum ReportReference {
    /// The report `reference` names.
    /// - Throws: ``MarginStoreError`` when it names nothing, several things, or something other than a report.
    static func report(_ reference: String, in store: MarginStore) throws -> RecordID {
        let resolved = try store.resolve(reference)
        guard case let .report(id) = resolved else {
            throw MarginStoreError(.wrongReferenceKind(reference, expected: "report", actual: resolved.kindName))
        }
        return id
    }
}
