import Foundation
import MarginStore
import Testing

/// The JSON document `margin import --json` prints.
private struct ImportResultDocument: Decodable {
    struct Failure: Decodable { var file: String; var error: String }
    var imported: [ImportSummary]
    var failed: [Failure]
}

@Suite("margin import")
struct ImportCommandTests {
    /// The smallest seed: a good file to import next to a bad one.
    static let smallSeed = SeedFiles.paths.first { $0.contains("003_") }!

    @Test("the five seeds import as 20 reports with one summary line per file")
    func importsSeeds() async throws {
        let sandbox = try await CLISandbox.initialized()
        let result = await sandbox.run(["import"] + SeedFiles.paths)

        #expect(result.status == 0)
        #expect(result.errors.isEmpty)
        #expect(SeedFiles.paths.count == 5)
        #expect(result.lines.count == 5)
        var reportTotal = 0
        var revisionTotal = 0
        for (line, path) in zip(result.lines, SeedFiles.paths) {
            let name = (path as NSString).lastPathComponent
            #expect(line.hasPrefix("\(name): "), "summary line should name the file: \(line)")
            let numbers = line.dropFirst(name.count).split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            try #require(numbers.count == 3, "expected “N reports, M sections, K new revisions”: \(line)")
            // Singular for one, plural otherwise.
            #expect(line.contains(numbers[0] == 1 ? " report, " : " reports, ") && line.contains(" sections, "), "\(line)")
            #expect(line.hasSuffix(numbers[2] == 1 ? " new revision" : " new revisions"), "\(line)")
            #expect(numbers[0] > 0)
            #expect(numbers[1] >= numbers[0], "every report has at least its preamble")
            #expect(numbers[2] == numbers[0], "a fresh store gets one revision per report")
            reportTotal += numbers[0]
            revisionTotal += numbers[2]
        }
        #expect(reportTotal == SeedFiles.reportCount)
        #expect(revisionTotal == SeedFiles.reportCount)

        let store = try sandbox.open()
        let reports = try store.reports()
        #expect(reports.count == SeedFiles.reportCount)
        #expect(reports.allSatisfy { $0.sections >= 1 && $0.annotations == 0 && $0.tags == 0 })
        #expect(try sandbox.changeCount() == SeedFiles.reportCount)
        #expect(try store.changeLog(limit: 100).allSatisfy { $0.kind == .report && $0.summary.hasPrefix("imported “") })
    }

    @Test("re-importing unchanged files writes nothing and says 0 new revisions")
    func reimportIsIdempotent() async throws {
        let sandbox = try await CLISandbox.seeded()
        let before = try sandbox.changeCount()
        let again = await sandbox.run(["import"] + SeedFiles.paths)

        #expect(again.status == 0)
        #expect(again.lines.count == 5)
        #expect(again.lines.allSatisfy { $0.hasSuffix(", 0 new revisions") }, "\(again.output)")
        #expect(try sandbox.changeCount() == before)
        #expect(try sandbox.open().reports().count == SeedFiles.reportCount)
    }

    @Test("--json prints the imported summaries and no failures")
    func jsonShape() async throws {
        let sandbox = try await CLISandbox.initialized()
        let result = await sandbox.run(["import", "--json"] + SeedFiles.paths)
        #expect(result.status == 0)

        let document = try result.decode(ImportResultDocument.self)
        #expect(document.failed.isEmpty)
        #expect(document.imported.map(\.file) == SeedFiles.paths.map { ($0 as NSString).lastPathComponent })
        let reports = document.imported.flatMap(\.reports)
        #expect(reports.count == SeedFiles.reportCount)
        #expect(reports.allSatisfy { $0.outcome == .created })
        #expect(Set(reports.map(\.id)) == Set(try sandbox.open().reports().map(\.id)))

        let again = try await sandbox.run(["import", "--json"] + SeedFiles.paths).decode(ImportResultDocument.self)
        #expect(again.imported.flatMap(\.reports).allSatisfy { $0.outcome == .unchanged })
    }

    /// Files that cannot be imported, and a fragment of the error that names the problem.
    enum BadFile: String, CaseIterable, CustomTestStringConvertible {
        case empty, binary, missing, noReport

        var testDescription: String { rawValue }
        var fileName: String { "bad-\(rawValue).txt" }

        /// Writes the file into the sandbox (except the missing one) and returns its path.
        func make(in sandbox: CLISandbox) throws -> String {
            switch self {
            case .empty: return try sandbox.write(fileName, Data())
            case .binary: return try sandbox.write(fileName, Data([0x89, 0x50, 0x4E, 0x47, 0x00, 0x00, 0x01, 0x02, 0x00, 0x41, 0x42, 0x00]))
            case .missing: return sandbox.folder.appendingPathComponent(fileName).path
            case .noReport: return try sandbox.write(fileName, text: "这只是一些文字，没有标题。\n第二行也只是普通的句子，继续写一些内容。\n")
            }
        }

        var expectedFragment: String {
            switch self {
            case .empty: "is empty"
            case .binary: "does not look like text"
            case .missing: "Cannot read"
            case .noReport: "contains no recognisable report"
            }
        }
    }

    @Test("a bad file gives one error line naming it, writes nothing, and the other files still import", arguments: BadFile.allCases)
    func badFileNextToGoodOne(_ bad: BadFile) async throws {
        let sandbox = try await CLISandbox.initialized()
        let path = try bad.make(in: sandbox)

        let result = await sandbox.run("import", path, Self.smallSeed)

        #expect(result.status == 1)
        #expect(result.errorLines.count == 1, "one error line: \(result.errors)")
        let error = try #require(result.errorLines.first)
        #expect(error.hasPrefix("error: "))
        #expect(error.contains(bad.fileName), "the error names the file: \(error)")
        #expect(error.contains(bad.expectedFragment), "\(error)")
        // The good file after the bad one still imported.
        #expect(result.lines.count == 1)
        #expect(result.lines.first?.hasPrefix("003_") == true)
        let reports = try sandbox.open().reports()
        #expect(!reports.isEmpty)
        #expect(try sandbox.changeCount() == reports.count, "only the good file's reports were written")

        // Alone, the bad file writes nothing at all.
        let before = try sandbox.changeCount()
        let alone = await sandbox.run("import", path)
        #expect(alone.status == 1)
        #expect(alone.output.isEmpty)
        #expect(alone.errorLines.count == 1)
        #expect(try sandbox.changeCount() == before)
    }

    @Test("--json lists the failed files and still exits 1")
    func jsonWithFailure() async throws {
        let sandbox = try await CLISandbox.initialized()
        let bad = try BadFile.binary.make(in: sandbox)
        let result = await sandbox.run("import", "--json", Self.smallSeed, bad)

        #expect(result.status == 1)
        let document = try result.decode(ImportResultDocument.self)
        #expect(document.imported.count == 1)
        #expect(document.failed.count == 1)
        #expect(document.failed.first?.file == bad)
        #expect(document.failed.first?.error.contains(BadFile.binary.fileName) == true)
    }

    @Test("import without files is a usage error")
    func noFiles() async throws {
        let sandbox = try await CLISandbox.initialized()
        let result = await sandbox.run("import")
        #expect(result.status == 64)
        #expect(result.errors.contains("<files>"), "\(result.errors)")
        #expect(result.errors.contains("Usage: margin import"))
        #expect(try sandbox.changeCount() == 0)
    }
}
