import ArgumentParser
import MarginStore

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Print a report with its tags and annotations as Markdown or JSON.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case markdown, json }

    @OptionGroup var store: StoreOptions

    @Option(help: "markdown (default) or json.")
    var format: Format = .markdown

    @Argument(help: "The report to export.")
    var report: String

    func run() async throws {
        let export = try store.open().export(report)
        switch format {
        case .markdown: Console.current.print(export.markdown())
        case .json: try JSONOutput.print(export)
        }
    }
}
