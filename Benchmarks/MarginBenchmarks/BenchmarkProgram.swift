import Foundation

/// Runs every benchmark in order, prints the table, and writes the JSON report when asked.
struct BenchmarkProgram {
    let options: BenchmarkOptions

    /// Runs everything; throws on the first failure that makes the remaining numbers meaningless.
    func run() throws {
        let clock = ContinuousClock()
        let started = clock.now
        let runStall = IOStall()
        var report = BenchmarkReport(
            date: ISO8601DateFormatter().string(from: Date()),
            environment: [
                "cores": String(ProcessInfo.processInfo.activeProcessorCount),
                "os": ProcessInfo.processInfo.operatingSystemVersionString,
                "runs": String(options.runs),
                "importRuns": String(options.importRuns),
                "loadAverageAtStart": Self.loadAverage(),
            ])
        #if DEBUG
        // A debug build is several times slower and would make every target look missed.
        print("warning: this is a debug build; run with `swift run -c release …` for meaningful numbers")
        report.environment["build"] = "debug"
        #else
        report.environment["build"] = "release"
        #endif

        let seeds = try CorpusGenerator.loadSeeds(from: options.seeds)
        guard !seeds.isEmpty else { throw BenchmarkOptions.UsageError(description: "No *.txt seeds in \(options.seeds).") }
        report.environment["seeds"] = String(seeds.count)
        report.environment["groups"] = options.groups.sorted().map(\.rawValue).joined(separator: ",")
        let imports = ImportBenchmarks(options: options, seeds: seeds)
        if options.groups.contains(.import) { try imports.runSeedImport(into: &report) }

        if options.groups.contains(.import) || options.groups.contains(.query) {
            let templates = try CorpusGenerator.templates(from: seeds)
            let corpus = CorpusGenerator.scaled(from: templates, count: options.reports, batchSize: options.batch)
            report.environment["corpus.templates"] = String(templates.count)
            report.environment["corpus.reports"] = String(corpus.reportCount)
            report.environment["corpus.sections"] = String(corpus.sectionCount)
            report.environment["corpus.textCharacters"] = String(corpus.textCharacters)
            // The queries need the scaled store; without the import group it is built once, untimed.
            let queryStore = options.groups.contains(.import)
                ? try imports.runScaledImport(corpus, into: &report) : try imports.untimedScaledImport(corpus)
            defer {
                if options.keepStore { print("kept the query store at \(queryStore.path)/store") } else { queryStore.remove() }
            }

            if options.groups.contains(.query) {
                let queries = QueryBenchmarks(options: options, storePath: queryStore.path + "/store")
                let prepared = try queries.prepareQueries()
                try queries.runInProcess(prepared, into: &report)
                try queries.runCommandLine(prepared, into: &report)
            }
        }

        if options.groups.contains(.ingest) {
            try Self.noteIOStall(of: .ingest) { try IngestBenchmarks(options: options, seeds: seeds).run(into: &report) }
        }

        if options.groups.contains(.large) {
            try Self.noteIOStall(of: .large) { try LargeStoreBenchmarks(options: options).run(into: &report) }
        }

        if options.groups.contains(.sync) {
            try Self.noteIOStall(of: .sync) { try SyncBenchmarks(options: options, seeds: seeds).run(into: &report) }
        }

        if options.groups.contains(.bootstrap) {
            try Self.noteIOStall(of: .bootstrap) {
                try BootstrapBenchmarks(options: options, seeds: seeds).run(into: &report)
            }
        }

        var gitTable: String?
        if options.groups.contains(.git) {
            gitTable = try Self.noteIOStall(of: .git) {
                try GitComparisonBenchmarks(options: options, seeds: seeds).run(into: &report)
            }
        }

        let total = (clock.now - started).milliseconds / 1_000
        report.environment["totalSeconds"] = String(format: "%.1f", total)
        report.environment["loadAverageAtEnd"] = Self.loadAverage()
        print("\n" + report.table())
        if let gitTable { print("\n" + gitTable) }
        print(String(format: "\ntotal benchmark time: %.1f s; load average %@ at start, %@ at end (%d cores)", total,
            report.environment["loadAverageAtStart"]!, report.environment["loadAverageAtEnd"]!,
            ProcessInfo.processInfo.activeProcessorCount))
        if let stall = runStall?.summary() {
            report.environment["ioStall"] = stall
            print("the whole run: " + stall)
        }
        if let load = Double(report.environment["loadAverageAtEnd"]!.prefix { $0 != " " }),
            load > Double(ProcessInfo.processInfo.activeProcessorCount)
        {
            print("note: the machine was busy; wall times include waiting for a core, so compare the cpu column too")
        }
        if let path = options.json {
            try report.writeJSON(to: path)
            print("wrote \(path)")
        }
    }

    /// Runs one group's benchmarks and prints how much of its time some task waited for I/O.
    private static func noteIOStall<T>(of group: BenchmarkOptions.Group, _ body: () throws -> T) rethrows -> T {
        let stall = IOStall()
        let result = try body()
        if let summary = stall?.summary() { print("  \(group.rawValue) group: \(summary)") }
        return result
    }

    /// The 1-, 5- and 15-minute load averages, from `/proc/loadavg` where there is one: a busy machine inflates
    /// wall times, and whoever reads the numbers later should know.
    static func loadAverage() -> String {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "unknown" }
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }
}
