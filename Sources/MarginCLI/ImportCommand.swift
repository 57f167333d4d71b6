import ArgumentParser
import Foundation
import MarginStore

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Parse report text files into reports and sections.",
        discussion: """
            Each file is imported in its own transaction: a file that cannot be read or parsed writes nothing, \
            while the other files still import (the exit code is then 1). Re-importing unchanged text writes nothing.
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "Report text files (UTF-8, UTF-16 with BOM, or GB18030).")
    var files: [String]

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("Name at least one report file to import.") }
    }

    func run() async throws {
        let opened = try store.open()
        var summaries: [ImportSummary] = []
        var failures: [FileFailure] = []
        for file in files {
            do {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw MarginCLIError.unreadableFile(file)
                }
                let summary = try opened.importReports(from: data, fileName: (file as NSString).lastPathComponent)
                summaries.append(summary)
                if !output.json {
                    Console.current.print(
                        "\(summary.file): \(summary.reports.count) reports, \(summary.sections) sections, \(summary.newRevisions) new revisions")
                }
            } catch {
                failures.append(FileFailure(file: file, error: "\(error)"))
                Console.current.printError("error: \(error)")
            }
        }
        if output.json { try JSONOutput.print(ImportResult(imported: summaries, failed: failures)) }
        if !failures.isEmpty { throw ExitCode.failure }
    }

    struct FileFailure: Codable { var file: String; var error: String }
    struct ImportResult: Codable { var imported: [ImportSummary]; var failed: [FileFailure] }
}
