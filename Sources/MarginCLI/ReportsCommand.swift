import ArgumentParser
import MarginStore

struct ReportsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reports", abstract: "List reports with their section, annotation and tag counts.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let reports = try store.open().reports()
        if output.json { return try JSONOutput.print(reports) }
        guard !reports.isEmpty else {
            return Console.current.print("No reports yet. Import some with: margin import FILE...")
        }
        let idWidth = max(2, reports.map(\.shortID.count).max() ?? 4)
        Console.current.print(Formatting.pad("ID", idWidth) + "  SECT  NOTES  TAGS  TITLE")
        for report in reports {
            let conflicts = report.conflicts > 0 ? "  (\(report.conflicts) in conflict)" : ""
            Console.current.print(
                Formatting.pad(report.shortID, idWidth) + "  " + column(report.sections, 4) + "  "
                    + column(report.annotations, 5) + "  " + column(report.tags, 4) + "  " + report.title + conflicts)
        }
    }

    private func column(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
