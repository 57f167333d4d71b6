import Foundation
import MarginCLI
import MarginStore
import Testing

/// What one in-process run of `margin` produced.
struct CommandResult: Sendable {
    /// The exit code `margin` would return.
    var status: Int32
    /// Everything written to standard output.
    var output: String
    /// Everything written to standard error.
    var errors: String

    /// Standard output split into lines, without the trailing empty one.
    var lines: [String] { output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).dropLastIfEmpty() }
    /// Standard error split into lines, without the trailing empty one.
    var errorLines: [String] { errors.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).dropLastIfEmpty() }

    /// Decodes standard output as one JSON document.
    func decode<Value: Decodable>(_ type: Value.Type, sourceLocation: SourceLocation = #_sourceLocation) throws -> Value {
        do {
            return try JSONDecoder().decode(type, from: Data(output.utf8))
        } catch {
            Issue.record("stdout is not a \(Value.self) JSON document: \(error)\n\(output)", sourceLocation: sourceLocation)
            throw error
        }
    }
}

extension Array where Element == String {
    fileprivate func dropLastIfEmpty() -> [String] { last == "" ? Array(dropLast()) : self }
}

/// Locates the package's seed report files relative to this source file.
enum SeedFiles {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let directory = packageRoot.appendingPathComponent("seeds")

    /// Absolute paths of the seeds, sorted by name.
    static let paths: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".txt") }.sorted().map { directory.appendingPathComponent($0).path }
    }()

    /// How many reports the five seeds hold in all.
    static let reportCount = 20

    static func text(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }
}

/// A temporary folder for one test, holding a store at `storePath` (once created) and scratch files.
///
/// Every test makes its own, so tests are independent and can run in parallel. The folder is removed on deinit.
final class CLISandbox: Sendable {
    /// The temporary folder.
    let folder: URL
    /// The store folder inside it (passed to every command with `--store`).
    let storePath: String

    init() throws {
        folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("margin-cli-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        storePath = folder.appendingPathComponent("store").path
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// A sandbox with an initialized, empty store.
    static func initialized(author: String = "tester") async throws -> CLISandbox {
        let sandbox = try CLISandbox()
        let result = await sandbox.run("init", "--author", author)
        try #require(result.status == 0, "init failed: \(result.errors)")
        return sandbox
    }

    /// A sandbox whose store holds the five seed files (20 reports).
    static func seeded() async throws -> CLISandbox {
        let sandbox = try await initialized()
        let result = await sandbox.run(["import"] + SeedFiles.paths)
        try #require(result.status == 0, "importing the seeds failed: \(result.errors)")
        return sandbox
    }

    /// Runs `margin` in process with these arguments plus `--store <storePath>`.
    func run(_ arguments: String...) async -> CommandResult { await run(arguments) }

    /// Runs `margin` in process with these arguments plus `--store <storePath>`.
    func run(_ arguments: [String]) async -> CommandResult {
        await CLISandbox.runBare(arguments + ["--store", storePath])
    }

    /// Runs `margin` in process with exactly these arguments.
    static func runBare(_ arguments: [String]) async -> CommandResult {
        let console = Console.capturing()
        let status = await MarginCLI.run(arguments, console: console)
        return CommandResult(status: status, output: console.output, errors: console.errors)
    }

    /// Opens the store directly, to check what the commands wrote.
    func open() throws -> MarginStore { try MarginStore.open(at: storePath) }

    /// How many entries the change log has (one per revision written).
    func changeCount() throws -> Int { try open().changeLog(limit: 1_000_000).count }

    /// Writes a scratch file in the sandbox and returns its path.
    @discardableResult
    func write(_ name: String, _ data: Data) throws -> String {
        let url = folder.appendingPathComponent(name)
        try data.write(to: url)
        return url.path
    }

    /// Writes a scratch text file (UTF-8) in the sandbox and returns its path.
    @discardableResult
    func write(_ name: String, text: String) throws -> String { try write(name, Data(text.utf8)) }
}

/// Shortcuts to well-known records of the seeded store.
extension MarginStore {
    /// The report whose title contains `fragment`.
    func report(titled fragment: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> ReportSummary {
        try #require(try reports().first { $0.title.contains(fragment) }, "no report titled …\(fragment)…", sourceLocation: sourceLocation)
    }

    /// A level-1 section of a report with more than three sections, with its text.
    func someHeadingSection(sourceLocation: SourceLocation = #_sourceLocation) throws -> SectionDetail {
        let report = try #require(try reports().first { $0.sections > 3 }, sourceLocation: sourceLocation)
        let entry = try #require(
            try outline(of: report.shortID).sections.first { $0.level == 1 }, sourceLocation: sourceLocation)
        return try section(entry.reference)
    }
}

/// Offsets in Unicode scalars, as anchors count them.
enum Scalars {
    /// The scalars of `text` from `start` up to `end`.
    static func slice(_ text: String, _ start: Int, _ end: Int) -> String {
        let scalars = Array(text.unicodeScalars)
        return String(String.UnicodeScalarView(scalars[start..<end]))
    }

    /// A span of `text` starting at scalar `start`, at least `length` scalars long, widened until it occurs only once.
    static func uniqueQuote(in text: String, start: Int = 2, length: Int = 6) -> (quote: String, start: Int, end: Int) {
        let count = text.unicodeScalars.count
        var end = min(count, start + length)
        while occurrences(of: slice(text, start, end), in: text).count > 1, end < count { end += 1 }
        return (slice(text, start, end), start, end)
    }

    /// Start offsets of every non-overlapping occurrence of `needle` in `text`.
    static func occurrences(of needle: String, in text: String) -> [Int] {
        let haystack = Array(text.unicodeScalars)
        let pattern = Array(needle.unicodeScalars)
        var result: [Int] = []
        var position = 0
        while position + pattern.count <= haystack.count {
            if Array(haystack[position..<(position + pattern.count)]) == pattern {
                result.append(position)
                position += pattern.count
            } else {
                position += 1
            }
        }
        return result
    }
}
