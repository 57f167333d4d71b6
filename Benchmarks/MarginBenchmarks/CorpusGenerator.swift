import Foundation
import ReportParser

/// A seed file as read from disk: its name and bytes.
struct SeedFile: Sendable {
    /// The file name, as given to the importer for its messages.
    var name: String
    /// The raw bytes; the importer decodes and parses them itself, which is part of what is timed.
    var data: Data
}

/// A synthetic corpus, cut into batches the way files would bring it in.
struct ScaledCorpus: Sendable {
    /// One batch per simulated file, imported with one `importReports(_:fileName:)` call (one transaction) each.
    var batches: [(fileName: String, reports: [ParsedReport])]

    /// How many reports in all.
    var reportCount: Int { batches.reduce(0) { $0 + $1.reports.count } }
    /// How many sections in all, preambles included.
    var sectionCount: Int { batches.reduce(0) { $0 + $1.reports.reduce(0) { $0 + $1.sections.count } } }
    /// How many characters of section text in all: what the full-text index has to digest.
    var textCharacters: Int {
        batches.reduce(0) { $0 + $1.reports.reduce(0) { $0 + $1.sections.reduce(0) { $0 + $1.text.count } } }
    }
}

/// Loads the seed files and grows them into a large, deterministic corpus.
///
/// Determinism matters more than realism here: two runs (or two machines) must time exactly the same work.
enum CorpusGenerator {
    /// Reads every `*.txt` file of `directory`, sorted by name.
    static func loadSeeds(from directory: String) throws -> [SeedFile] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasSuffix(".txt") }
            .sorted()
        return try names.map { name in
            SeedFile(name: name, data: try Data(contentsOf: URL(fileURLWithPath: directory).appendingPathComponent(name)))
        }
    }

    /// Parses the seeds into the template reports that the scaled corpus cycles through.
    static func templates(from seeds: [SeedFile]) throws -> [ParsedReport] {
        try seeds.flatMap { seed in try ReportParser.parse(data: seed.data, fileName: seed.name) }
    }

    /// Makes `count` reports by cycling through `templates`, in batches of `batchSize`.
    ///
    /// Copy `n` of a template is titled `<title> #0042` (titles derive report identities, so every copy is a new
    /// report) and gets a marker line in its preamble and in one other section, so that no two bodies are equal and
    /// the store cannot shortcut anything by spotting an unchanged body.
    static func scaled(from templates: [ParsedReport], count: Int, batchSize: Int) -> ScaledCorpus {
        precondition(!templates.isEmpty, "there must be at least one template report")
        let reports = (0..<count).map { copy(of: templates[$0 % templates.count], number: $0) }
        let batches = stride(from: 0, to: reports.count, by: batchSize).map { start in
            let batch = Array(reports[start..<min(start + batchSize, reports.count)])
            return (fileName: String(format: "scaled_%04d.txt", start / batchSize), reports: batch)
        }
        return ScaledCorpus(batches: batches)
    }

    private static func copy(of template: ParsedReport, number: Int) -> ParsedReport {
        let tag = String(format: "%04d", number)
        var report = template
        report.title = "\(template.title) #\(tag)"
        report.sections[0].text = appending("（副本 #\(tag)）", to: report.sections[0].text)
        // A multiplicative hash spreads the second marker over the sections instead of always hitting section 1.
        if report.sections.count > 1 {
            let index = 1 + (number &* 2_654_435_761 % 1_000_003) % (report.sections.count - 1)
            report.sections[index].text = appending("（修订 \(tag)）", to: report.sections[index].text)
        }
        return report
    }

    private static func appending(_ marker: String, to text: String) -> String {
        text.isEmpty ? marker : text + "\n" + marker
    }
}
