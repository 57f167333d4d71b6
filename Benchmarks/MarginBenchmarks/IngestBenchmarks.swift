import Foundation
import MarginCore
import MarginStore

/// Receiving revisions in process: `MarginStore.receive` of the large sync history, page by page, into a store
/// that holds only the seed reports; against the raw-SQLite revision baseline in the same run, and signed (each
/// page with its origin's proof, checked as a server checks a push) against unsigned (the same pages without
/// proofs, as a store takes revisions kept from before signatures).
///
/// This is the part of a pull (and, on the server, of a push) that the store itself costs, without HTTP, JSON
/// or a second process: hashing, checks, the change log, heads, and the materialized tables.
struct IngestBenchmarks {
    /// Checking signatures may cost at most this over receiving the same pages unsigned.
    static let signedRatioTarget = 1.2
    /// A server's ingest (a store made only to be served, `margin init --server`, taking signed pushes) may cost at
    /// most this over inserting the same rows raw.
    static let serverRatioTarget = 1.5

    let options: BenchmarkOptions
    let seeds: [SeedFile]

    func run(into report: inout BenchmarkReport) throws {
        let source = try TemporaryFolder("margin-bench-ingest")
        defer { source.remove() }
        let origin = try MarginStore.create(at: source.path + "/origin", author: "甲")
        for seed in seeds { _ = try origin.importReports(from: seed.data, fileName: seed.name) }
        let reports = try origin.revisions(missingFrom: [:], limit: 1_000_000, maxBytes: .max, size: { _ in 0 }).revisions
        let synthetic = try SyntheticHistory.revisions(count: options.syncRevisions, after: reports)
        let page = options.ingestPage
        print("\ningest (\(synthetic.count) revisions received in pages of \(page), \(options.importRuns) runs)")

        // The author's signatures, one per page as its push would carry them (signing is the author's cost, made
        // once when it pushes; what is timed is what every receiver pays).
        var signer = ChainSigner(key: .generate())
        var pages: [(revisions: [Revision], proofs: [ChainProof])] = []
        for start in stride(from: 0, to: synthetic.count, by: page) {
            let slice = Array(synthetic[start..<min(start + page, synthetic.count)])
            pages.append((slice, try signer.proofs(for: slice)))
        }
        try PageDecodingBenchmarks.run(pages: pages, runs: max(5, options.importRuns), into: &report)
        var storeSamples: [Sample] = []
        var unsignedSamples: [Sample] = []
        var baselineSamples: [Sample] = []
        var serverSamples: [Sample] = []
        for run in 0..<options.importRuns {
            let folder = try TemporaryFolder("margin-bench-ingest")
            let keep = options.keepStore && run == options.importRuns - 1
            defer {
                if keep { print("kept the ingest store at \(folder.path)/store") } else { folder.remove() }
            }
            let unsigned = try MarginStore.create(at: folder.path + "/unsigned", author: "乙")
            try unsigned.receive(reports, source: "bench-setup")
            var accepted = 0
            unsignedSamples.append(try Stopwatch.time {
                for page in pages { accepted += try unsigned.receive(page.revisions, source: "bench").accepted }
            })
            let store = try MarginStore.create(at: folder.path + "/store", author: "乙")
            try store.receive(reports, source: "bench-setup")
            let sender = PageSender.pusher(from: SyntheticHistory.origin, account: nil)
            storeSamples.append(try Stopwatch.time {
                for page in pages {
                    accepted += try store.receive(page.revisions, proofs: page.proofs, from: sender, source: "bench").accepted
                }
            })
            // A server's store: the same signed pushes, checked alike, but nothing a person reads is built.
            let server = try MarginStore.create(at: folder.path + "/server", author: "丙")
            try server.receive(reports, source: "bench-setup")
            try server.markServesOnly()
            serverSamples.append(try Stopwatch.time {
                for page in pages {
                    accepted += try server.receive(page.revisions, proofs: page.proofs, from: sender, source: "bench").accepted
                }
            })
            guard accepted == 3 * synthetic.count else {
                throw ImportMismatch(description: "the stores accepted \(accepted) of 3 × \(synthetic.count) revisions")
            }
            baselineSamples.append(try RevisionBaseline.insert(synthetic, folder: folder.path))
            if run == options.importRuns - 1 { try timeCommands(on: store, at: folder.path + "/store", into: &report) }
        }
        let storeResult = BenchmarkResult(
            group: "ingest", name: "receive \(synthetic.count) signed revisions (pages of \(page))", samples: storeSamples,
            detail: Self.perRevision(storeSamples, synthetic.count))
        let unsignedResult = BenchmarkResult(
            group: "ingest", name: "receive \(synthetic.count) unsigned revisions (pages of \(page))", samples: unsignedSamples,
            detail: Self.perRevision(unsignedSamples, synthetic.count))
        let baselineResult = BenchmarkResult(
            group: "ingest", name: "raw SQLite insert \(synthetic.count) revision rows", samples: baselineSamples,
            detail: Self.perRevision(baselineSamples, synthetic.count))
        let serverResult = BenchmarkResult(
            group: "ingest", name: "server store receives \(synthetic.count) signed revisions (pages of \(page))",
            samples: serverSamples, detail: Self.perRevision(serverSamples, synthetic.count))
        report.record(storeResult)
        report.record(unsignedResult)
        report.record(serverResult)
        report.record(baselineResult)
        report.ratios.append(BenchmarkRatio(
            name: "ingest signed / unsigned receive", measured: storeResult, baseline: unsignedResult,
            target: Self.signedRatioTarget))
        report.ratios.append(BenchmarkRatio(
            name: "ingest receive / raw SQLite insert", measured: storeResult, baseline: baselineResult,
            target: SyncBenchmarks.baselineRatioTarget))
        report.ratios.append(BenchmarkRatio(
            name: "server ingest (server store, signed) / raw SQLite insert", measured: serverResult,
            baseline: baselineResult, target: Self.serverRatioTarget))
    }

    /// Times everyday commands, one `margin` process each, on the store a person has after a first large pull:
    /// the listings must not slow down with tens of thousands of notes.
    private func timeCommands(on store: MarginStore, at path: String, into report: inout BenchmarkReport) throws {
        guard let executable = options.marginExecutable else {
            report.skip("ingest: per-process timings need a margin executable (see --margin)")
            return
        }
        guard let busiest = try store.reports().max(by: { ($0.annotations, $1.title) < ($1.annotations, $0.title) }) else {
            throw ImportMismatch(description: "the ingest store has no reports")
        }
        print("  per process on the received store (\(busiest.annotations) notes in report \(busiest.shortID))")
        let margin = try CommandTimer(executable: executable)
        defer { margin.cleanUp() }
        let commands = [
            ["reports"], ["show", busiest.shortID], ["show", busiest.shortID + "/1"], ["find", "实施细则"],
            ["find", "核实"], ["status"],
        ]
        for command in commands {
            let (samples, output) = try margin.measure([command[0], "--store", path] + command.dropFirst(), runs: options.runs)
            let lines = output.split(separator: "\n", omittingEmptySubsequences: false).count - 1
            report.record(BenchmarkResult(
                group: "ingest", name: "margin " + command.joined(separator: " ") + " (received store)",
                samples: samples, targetMilliseconds: QueryBenchmarks.perProcessTarget, detail: "\(lines) lines of output"))
        }
    }

    private static func perRevision(_ samples: [Sample], _ count: Int) -> String {
        let wall = BenchmarkResult.median(samples.map(\.wall.milliseconds)) * 1_000 / Double(count)
        let cpu = BenchmarkResult.median(samples.map(\.cpu.milliseconds)) * 1_000 / Double(count)
        return String(format: "%.1f µs per revision (cpu %.1f µs)", wall, cpu)
    }
}
