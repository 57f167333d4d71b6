import ArgumentParser
import Foundation
import MarginStore

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "A guided tour: import the seed reports, annotate, tag, search, then sync two peers and resolve a conflict.")

    @Option(help: ArgumentHelp("Folder with the seed report files (default: the seeds shipped with margin).", valueName: "folder"))
    var seeds: String?

    @Option(help: "Store folder to create (default: a new temporary folder).")
    var store: String?

    func run() async throws {
        let storePath = store ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("margin-demo-\(UUID().uuidString.prefix(8))").path
        guard let seeds = seeds ?? DemoSeeds.shippedFolder() else {
            throw ValidationError("The seed reports shipped with margin are not beside it; pass --seeds FOLDER.")
        }
        // Foundation's error for a missing folder is a dump of NSError fields; say it in one sentence instead.
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: seeds) else {
            throw MarginCLIError.unreadableFile(seeds)
        }
        let files = names
            .filter { $0.hasSuffix(".txt") }.sorted().map { (seeds as NSString).appendingPathComponent($0) }
        guard !files.isEmpty else { throw ValidationError("No .txt files in \(seeds); pass --seeds DIR.") }

        try await step(["init", "--author", "alice"], storePath)
        try await step(["import"] + files, storePath)
        try await step(["reports"], storePath)

        let opened = try MarginStore.open(at: storePath)
        guard let report = try opened.reports().first(where: { $0.sections > 3 }),
            let section = try opened.outline(of: report.shortID).sections.first(where: { $0.level == 1 })
        else { return }
        let detail = try opened.section(section.reference)
        let quote = Self.quote(from: detail.text)

        try await step(["show", report.shortID], storePath)
        try await step(["annotate", section.reference, "值得与去年的数据对比。", "--quote", quote], storePath)
        try await step(["tag", section.reference, "重点", "review"], storePath)
        try await step(["show", section.reference], storePath)
        try await step(["find", "--tag", "重点", "教育"], storePath)
        try await step(["log", "--limit", "5"], storePath)
        let annotation = try opened.section(section.reference).annotations.first?.shortID ?? ""
        try await DemoSyncTour(seedFiles: files, alice: storePath, section: section.reference, annotation: annotation).run(step)
        Console.current.print("")
        Console.current.print("The demo store is at \(storePath); try: margin --help, or margin show \(section.reference) --store \(storePath)")
    }

    /// A short span from the section's first body line to anchor the demo annotation on.
    static func quote(from text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        let start = min(scalars.count, 2)
        let length = min(8, scalars.count - start)
        let candidate = String(String.UnicodeScalarView(scalars[start..<(start + length)]))
        // The quote must be unique in the section; widen it until it is.
        var width = length
        var quote = candidate
        while text.components(separatedBy: quote).count > 2, start + width < scalars.count {
            width += 1
            quote = String(String.UnicodeScalarView(scalars[start..<(start + width)]))
        }
        return quote
    }

    func step(_ arguments: [String], _ storePath: String) async throws {
        let shown = arguments.map { $0.contains(" ") || $0.isEmpty ? "\"\($0)\"" : $0 }.joined(separator: " ")
        Console.current.print("")
        Console.current.print("$ margin \(shown)")
        let status = await MarginCLI.run(arguments + ["--store", storePath], console: Console.current)
        guard status == 0 else { throw ExitCode(status) }
    }
}
