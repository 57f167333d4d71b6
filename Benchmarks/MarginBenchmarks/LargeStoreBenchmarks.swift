import Foundation
import MarginStore

/// `margin reports` and a one-character `margin find` on a store of many reports (20,000 by default), one process
/// each, against their 100 ms target; and the same reads on the raw-SQLite baseline holding the same reports.
///
/// A person with a large store still types `margin reports` and `margin find 师`: the listing is paged and the
/// search counts and limits in SQL, so neither may grow with the store.
struct LargeStoreBenchmarks {
    /// What a command may take, start-up included, on the large store.
    static let perProcessTarget = 100.0

    let options: BenchmarkOptions

    func run(into report: inout BenchmarkReport) throws {
        let corpus = SyntheticReports.corpus(count: options.largeReports, batchSize: 500)
        report.environment["large.reports"] = String(corpus.reportCount)
        report.environment["large.sections"] = String(corpus.sectionCount)
        report.environment["large.textCharacters"] = String(corpus.textCharacters)
        let (storePath, folder) = try prepareStore(corpus)
        defer {
            if let folder {
                if options.keepStore { print("kept the large store at \(storePath)") } else { folder.remove() }
            }
        }
        let baselineFolder = try TemporaryFolder("margin-bench-large-baseline")
        defer { baselineFolder.remove() }
        let baseline = try RawSQLiteBaseline(folder: baselineFolder.path)
        for batch in corpus.batches { try baseline.insert(batch.reports) }

        print("\nlarge store (\(corpus.reportCount) synthetic reports, \(corpus.sectionCount) sections)")
        report.record(try StoreFootprint.measure(
            name: "large store (\(corpus.reportCount) reports)", storePath: storePath,
            importedBytes: StoreFootprint.textBytes(corpus.batches.flatMap(\.reports))))
        try runInProcess(storePath: storePath, baseline: baseline, into: &report)
        try runCommandLine(storePath: storePath, into: &report)
    }

    /// The store to query: the one at `--large-store` when it already holds the corpus, else a new one (kept at
    /// `--large-store` when given, so the next run skips the import).
    private func prepareStore(_ corpus: ScaledCorpus) throws -> (path: String, folder: TemporaryFolder?) {
        if let path = options.largeStore, FileManager.default.fileExists(atPath: path) {
            let existing = try MarginStore.open(at: path).reports(offset: 0, limit: 1).total
            guard existing == corpus.reportCount else {
                throw ImportMismatch(description: "\(path) holds \(existing) reports, not \(corpus.reportCount)")
            }
            print("\nusing the large store at \(path)")
            return (path, nil)
        }
        let folder = options.largeStore == nil ? try TemporaryFolder("margin-bench-large") : nil
        let path = options.largeStore ?? folder!.path + "/store"
        print("\nbuilding the large store (\(corpus.reportCount) reports, untimed) at \(path)")
        let store = try MarginStore.create(at: path, author: "bench")
        let built = try Stopwatch.time {
            for batch in corpus.batches { _ = try store.importReports(batch.reports, fileName: batch.fileName) }
        }
        print("  built in \(BenchmarkReport.format(built.wall.milliseconds)) ms")
        let indexed = try Stopwatch.time { _ = try store.search(text: "师", limit: 20) }
        print("  first find (indexes every section) in \(BenchmarkReport.format(indexed.wall.milliseconds)) ms")
        return (path, folder)
    }

    /// The store API on a store opened once, and the raw-SQLite baseline's equivalent reads.
    private func runInProcess(storePath: String, baseline: RawSQLiteBaseline, into report: inout BenchmarkReport) throws {
        let store = try MarginStore.open(at: storePath)
        var listed = ""
        let listing = try Stopwatch.measure(runs: options.runs) {
            let page = try store.reports(offset: 0, limit: 50)
            listed = "\(page.items.count) of \(page.total) reports"
        }
        report.record(BenchmarkResult(
            group: "large", name: "reports(limit: 50) in process", samples: listing, detail: listed))
        var found = ""
        let search = try Stopwatch.measure(runs: options.runs) {
            let page = try store.search(text: "师", limit: 20)
            found = "\(page.items.count) of \(page.total) hits"
        }
        report.record(BenchmarkResult(group: "large", name: "find(师, limit: 20) in process", samples: search, detail: found))

        var page = ""
        let baselineListing = try Stopwatch.measure(runs: options.runs) {
            let (shown, total) = try baseline.firstReportsByTitle(50)
            page = "\(shown) of \(total) reports"
        }
        report.record(BenchmarkResult(
            group: "large", name: "raw SQLite: first 50 reports by title + count", samples: baselineListing, detail: page))
        var matches = ""
        let baselineSearch = try Stopwatch.measure(runs: options.runs) {
            let (shown, total) = try baseline.firstSectionsContaining("师", 20)
            matches = "\(shown) of \(total) sections"
        }
        report.record(BenchmarkResult(
            group: "large", name: "raw SQLite: first 20 sections containing 师 + count", samples: baselineSearch,
            detail: matches))
    }

    /// `margin reports` and `margin find 师`, one process each, after the `margin --help` floor.
    private func runCommandLine(storePath: String, into report: inout BenchmarkReport) throws {
        guard let executable = options.marginExecutable else {
            report.skip("large: per-process timings need a margin executable (see --margin)")
            return
        }
        print("  per process (\(executable))")
        let margin = try CommandTimer(executable: executable)
        defer { margin.cleanUp() }
        let commands: [(arguments: [String], target: Double?)] = [
            (["--help"], nil), (["reports", "--store", storePath], Self.perProcessTarget),
            (["find", "--store", storePath, "师"], Self.perProcessTarget),
            (["find", "--store", storePath, "师资"], Self.perProcessTarget),
        ]
        for command in commands {
            do {
                let (samples, output) = try margin.measure(command.arguments, runs: options.runs)
                let lines = output.split(separator: "\n", omittingEmptySubsequences: false).count - 1
                let shown = command.arguments.filter { $0 != "--store" && $0 != storePath }
                report.record(BenchmarkResult(
                    group: "large", name: "margin " + shown.joined(separator: " ") + " (large store)", samples: samples,
                    targetMilliseconds: command.target, detail: "\(lines) lines of output"))
            } catch let failure as CommandTimer.Failure {
                report.skip(failure.description)
            }
        }
    }
}
