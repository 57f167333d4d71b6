import Foundation
import MarginStore
import ReportParser

/// Imports: the five seeds into an empty store, then the scaled corpus into the store and into the raw-SQLite
/// baseline, run by run in alternation so that drift (thermal, page cache, neighbours) hits both alike.
struct ImportBenchmarks {
    /// Seeds import should feel instant to a person who just typed `margin import`.
    static let seedImportTarget = 100.0
    /// The store's versioning (revisions, change log, heads, JSON bodies) may cost at most this over the baseline.
    static let baselineRatioTarget = 3.0

    let options: BenchmarkOptions
    let seeds: [SeedFile]

    /// Times parsing and importing the seeds.
    func runSeedImport(into report: inout BenchmarkReport) throws {
        print("\nseed import (\(seeds.count) files, fresh store per run)")
        // Parsing alone, so the import number can be split into parser and store.
        let parse = try Stopwatch.measure(runs: options.runs) {
            for seed in seeds { _ = try ReportParser.parse(data: seed.data, fileName: seed.name) }
        }
        report.record(BenchmarkResult(group: "import", name: "parse \(seeds.count) seeds", samples: parse))

        var reportCount = 0
        let samples = try Stopwatch.measure(
            runs: options.runs,
            prepare: { () throws -> (TemporaryFolder, MarginStore) in
                let folder = try TemporaryFolder()
                return (folder, try MarginStore.create(at: folder.path + "/store", author: "bench"))
            },
            cleanup: { $0.0.remove() },
            { _, store in
                reportCount = 0
                for seed in seeds {
                    reportCount += try store.importReports(from: seed.data, fileName: seed.name).reports.count
                }
            })
        report.record(BenchmarkResult(
            group: "import", name: "import \(seeds.count) seeds", samples: samples,
            targetMilliseconds: Self.seedImportTarget, detail: "\(reportCount) reports, parse included"))

        // An import leaves its sections for the first search to index (see SectionIndexes in MarginStore): that
        // search's cost, timed on its own so the work moved out of the import stays in view.
        let firstSearch = try Stopwatch.measure(
            runs: options.runs,
            prepare: { () throws -> (TemporaryFolder, MarginStore) in
                let folder = try TemporaryFolder()
                let store = try MarginStore.create(at: folder.path + "/store", author: "bench")
                for seed in seeds { _ = try store.importReports(from: seed.data, fileName: seed.name) }
                return (folder, store)
            },
            cleanup: { $0.0.remove() },
            { _, store in _ = try store.search(text: "教育", limit: 20) })
        report.record(BenchmarkResult(
            group: "import", name: "first find after the seed import", samples: firstSearch,
            detail: "indexes the \(reportCount) reports' sections"))

        // The store a person has after importing the seeds and searching once, against the files' bytes.
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let store = try MarginStore.create(at: folder.path + "/store", author: "bench")
        for seed in seeds { _ = try store.importReports(from: seed.data, fileName: seed.name) }
        _ = try store.search(text: "教育", limit: 20)
        report.record(try StoreFootprint.measure(
            name: "seeds", storePath: folder.path + "/store",
            importedBytes: seeds.reduce(0) { $0 + Int64($1.data.count) }))
    }

    /// Times importing the scaled corpus into the store and into the baseline; returns the folder of the last
    /// store, kept for the query benchmarks so that the corpus is not imported once more just for them.
    func runScaledImport(_ corpus: ScaledCorpus, into report: inout BenchmarkReport) throws -> TemporaryFolder {
        print("\nscaled import (\(corpus.reportCount) reports, \(corpus.sectionCount) sections, "
            + "\(corpus.batches.count) batches of ≤ \(options.batch), \(options.importRuns) runs each)")
        var storeSamples: [Sample] = []
        var baselineSamples: [Sample] = []
        var kept: TemporaryFolder?
        for run in 0..<options.importRuns {
            let storeFolder = try TemporaryFolder()
            let store = try MarginStore.create(at: storeFolder.path + "/store", author: "bench")
            var imported = 0
            storeSamples.append(try Stopwatch.time {
                for batch in corpus.batches {
                    imported += try store.importReports(batch.reports, fileName: batch.fileName).reports.count
                }
            })
            guard imported == corpus.reportCount else {
                throw ImportMismatch(description: "the store imported \(imported) of \(corpus.reportCount) reports")
            }
            if run == options.importRuns - 1 { kept = storeFolder } else { storeFolder.remove() }

            let baselineFolder = try TemporaryFolder()
            defer { baselineFolder.remove() }
            let baseline = try RawSQLiteBaseline(folder: baselineFolder.path)
            baselineSamples.append(try Stopwatch.time {
                for batch in corpus.batches { try baseline.insert(batch.reports) }
            })
            let sections = try baseline.sectionCount()
            guard sections == corpus.sectionCount else {
                throw ImportMismatch(description: "the baseline holds \(sections) of \(corpus.sectionCount) sections")
            }
            print("  run \(run + 1): store \(BenchmarkReport.format(storeSamples[run].wall.milliseconds)) ms "
                + "(cpu \(BenchmarkReport.format(storeSamples[run].cpu.milliseconds))), "
                + "baseline \(BenchmarkReport.format(baselineSamples[run].wall.milliseconds)) ms "
                + "(cpu \(BenchmarkReport.format(baselineSamples[run].cpu.milliseconds)))")
        }
        var storeResult = BenchmarkResult(
            group: "import", name: "store import \(corpus.reportCount) reports", samples: storeSamples)
        storeResult.detail = throughput(corpus, storeResult)
        var baselineResult = BenchmarkResult(
            group: "import", name: "raw SQLite baseline \(corpus.reportCount) reports", samples: baselineSamples)
        baselineResult.detail = throughput(corpus, baselineResult)
        report.record(storeResult)
        report.record(baselineResult)
        report.ratios.append(BenchmarkRatio(
            name: "store import / raw SQLite baseline", measured: storeResult, baseline: baselineResult,
            target: Self.baselineRatioTarget))

        // The import leaves its sections for the first search to index: that search, then the store's size.
        let store = try MarginStore.open(at: kept!.path + "/store")
        let firstSearch = try Stopwatch.time { _ = try store.search(text: "教育", limit: 20) }
        report.record(BenchmarkResult(
            group: "import", name: "first find after the scaled import", samples: [firstSearch],
            detail: "indexes the \(corpus.reportCount) reports' \(corpus.sectionCount) sections"))
        report.record(try StoreFootprint.measure(
            name: "scaled import (\(corpus.reportCount) reports)", storePath: kept!.path + "/store",
            importedBytes: StoreFootprint.textBytes(corpus.batches.flatMap(\.reports))))
        return kept!
    }

    /// Imports the scaled corpus once, untimed, for the queries when the import group is not run.
    func untimedScaledImport(_ corpus: ScaledCorpus) throws -> TemporaryFolder {
        print("\nbuilding the query store (\(corpus.reportCount) reports, untimed)")
        let folder = try TemporaryFolder()
        let store = try MarginStore.create(at: folder.path + "/store", author: "bench")
        for batch in corpus.batches { _ = try store.importReports(batch.reports, fileName: batch.fileName) }
        return folder
    }

    private func throughput(_ corpus: ScaledCorpus, _ result: BenchmarkResult) -> String {
        let seconds = result.medianMilliseconds / 1_000
        return String(format: "%.0f reports/s, %.0f sections/s (at the median)",
            Double(corpus.reportCount) / seconds, Double(corpus.sectionCount) / seconds)
    }
}

/// The store or the baseline did less work than asked: its timing would be meaningless.
struct ImportMismatch: Error, CustomStringConvertible {
    var description: String
}
