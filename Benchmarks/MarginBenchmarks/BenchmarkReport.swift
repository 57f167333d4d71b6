import Foundation

/// One timed benchmark: its samples summarized, and how it compares with its target.
struct BenchmarkResult: Encodable, Sendable {
    /// The section of the table it belongs to, e.g. `import`, `cli`, `in-process`.
    var group: String
    /// What was timed, e.g. `margin find 质量`.
    var name: String
    /// How many timed runs (warm-up runs excluded).
    var runs: Int
    /// The median of the runs, in milliseconds: the headline number, robust to one slow outlier.
    var medianMilliseconds: Double
    /// The fastest run, in milliseconds: the closest to the cost without scheduler noise.
    var minMilliseconds: Double
    /// Every run's wall time, in milliseconds, so that a reader of the JSON can judge the spread.
    var samplesMilliseconds: [Double]
    /// The median CPU time (user + system), in milliseconds: less sensitive than wall time to a busy machine.
    var cpuMedianMilliseconds: Double
    /// Every run's CPU time, in milliseconds.
    var cpuSamplesMilliseconds: [Double]
    /// The upper bound the median should stay under, if there is one.
    var targetMilliseconds: Double?
    /// Extra facts: throughput, hit counts, failures.
    var detail: String?

    /// Whether the median meets the target; nil when there is no target.
    var meetsTarget: Bool? { targetMilliseconds.map { medianMilliseconds <= $0 } }

    /// Summarizes `samples`.
    init(group: String, name: String, samples: [Sample], targetMilliseconds: Double? = nil, detail: String? = nil) {
        self.group = group
        self.name = name
        self.runs = samples.count
        self.samplesMilliseconds = samples.map(\.wall.milliseconds)
        self.cpuSamplesMilliseconds = samples.map(\.cpu.milliseconds)
        self.medianMilliseconds = Self.median(samplesMilliseconds)
        self.minMilliseconds = samplesMilliseconds.min() ?? 0
        self.cpuMedianMilliseconds = Self.median(cpuSamplesMilliseconds)
        self.targetMilliseconds = targetMilliseconds
        self.detail = detail
    }

    /// The middle value; for an even count, the mean of the middle two.
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    private enum CodingKeys: String, CodingKey {
        case group, name, runs, medianMilliseconds, minMilliseconds, samplesMilliseconds, cpuMedianMilliseconds
        case cpuSamplesMilliseconds, targetMilliseconds, meetsTarget, detail
    }

    // Written by hand only to include the computed `meetsTarget`.
    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(group, forKey: .group)
        try container.encode(name, forKey: .name)
        try container.encode(runs, forKey: .runs)
        try container.encode(medianMilliseconds, forKey: .medianMilliseconds)
        try container.encode(minMilliseconds, forKey: .minMilliseconds)
        try container.encode(samplesMilliseconds, forKey: .samplesMilliseconds)
        try container.encode(cpuMedianMilliseconds, forKey: .cpuMedianMilliseconds)
        try container.encode(cpuSamplesMilliseconds, forKey: .cpuSamplesMilliseconds)
        try container.encodeIfPresent(targetMilliseconds, forKey: .targetMilliseconds)
        try container.encodeIfPresent(meetsTarget, forKey: .meetsTarget)
        try container.encodeIfPresent(detail, forKey: .detail)
    }
}

/// A ratio between two results, e.g. store import time over the raw-SQLite baseline's.
struct BenchmarkRatio: Encodable, Sendable {
    /// What is compared, e.g. `store import / raw SQLite baseline`.
    var name: String
    /// Ratio of the medians.
    var median: Double
    /// Ratio of the minimums.
    var min: Double
    /// Ratio of the median CPU times.
    var cpu: Double
    /// The largest acceptable ratio of the medians.
    var target: Double
    /// Whether the median ratio meets the target.
    var meetsTarget: Bool
}

extension BenchmarkRatio {
    /// Compares `measured` with `baseline`: medians, minimums and CPU medians. (An extension, so that the
    /// memberwise initializer stays for ratios computed elsewhere.)
    init(name: String, measured: BenchmarkResult, baseline: BenchmarkResult, target: Double) {
        let median = measured.medianMilliseconds / baseline.medianMilliseconds
        self.init(
            name: name, median: median, min: measured.minMilliseconds / baseline.minMilliseconds,
            cpu: measured.cpuMedianMilliseconds / baseline.cpuMedianMilliseconds, target: target,
            meetsTarget: median <= target)
    }
}

/// Everything one benchmark run found: what it ran on, the results and the ratios. Written as JSON with `--json`.
struct BenchmarkReport: Encodable, Sendable {
    /// When the run started (ISO 8601).
    var date: String
    /// Facts about the machine and the corpus, e.g. `cores`, `corpus.reports`.
    var environment: [String: String]
    /// The results, in the order they were measured.
    var results: [BenchmarkResult] = []
    /// The ratios.
    var ratios: [BenchmarkRatio] = []
    /// Benchmarks that could not run, and why.
    var skipped: [String] = []
    /// The sync group's own table (times, requests, peak memory), when it ran.
    var sync: SyncSummary?
    /// Store sizes against the text imported into them.
    var footprints: [StoreFootprint] = []

    /// Adds a result and prints it at once, so a long run shows progress.
    mutating func record(_ result: BenchmarkResult) {
        results.append(result)
        print("  \(result.name): median \(Self.format(result.medianMilliseconds)) ms, min \(Self.format(result.minMilliseconds)) ms, "
            + "cpu \(Self.format(result.cpuMedianMilliseconds)) ms"
            + (result.detail.map { " — \($0)" } ?? ""))
    }

    /// Adds a skipped benchmark and prints why.
    mutating func skip(_ reason: String) {
        skipped.append(reason)
        print("  skipped: \(reason)")
    }

    /// The plain-text table: one line per result, then the ratios and skipped benchmarks.
    func table() -> String {
        let header = ["group", "benchmark", "runs", "median ms", "min ms", "cpu ms", "target ms", "met"]
        var rows = results.map { result in
            [
                result.group, result.name, String(result.runs), Self.format(result.medianMilliseconds),
                Self.format(result.minMilliseconds), Self.format(result.cpuMedianMilliseconds), result.targetMilliseconds.map { Self.format($0) } ?? "-",
                result.meetsTarget.map { $0 ? "yes" : "NO" } ?? "-",
            ]
        }
        rows.insert(header, at: 0)
        // Columns are padded by display width: CJK characters take two terminal cells.
        let widths = header.indices.map { column in rows.map { Self.displayWidth($0[column]) }.max() ?? 0 }
        var lines = rows.map { row in
            zip(row, widths).enumerated().map { column, pair in
                let padding = String(repeating: " ", count: pair.1 - Self.displayWidth(pair.0))
                // Numbers read best right-aligned, names left-aligned.
                return column >= 2 ? padding + pair.0 : pair.0 + padding
            }.joined(separator: "  ")
        }
        lines.insert(String(repeating: "-", count: widths.reduce(0, +) + 2 * (widths.count - 1)), at: 1)
        for ratio in ratios {
            lines.append("ratio \(ratio.name): median \(String(format: "%.2f", ratio.median))×, "
                + "min \(String(format: "%.2f", ratio.min))×, cpu \(String(format: "%.2f", ratio.cpu))×, target ≤ \(String(format: "%.1f", ratio.target))× — "
                + (ratio.meetsTarget ? "met" : "NOT met"))
        }
        for footprint in footprints { lines.append("footprint " + footprint.line) }
        for reason in skipped { lines.append("skipped: \(reason)") }
        if let sync { lines += ["", sync.table()] }
        let details = results.compactMap { result in result.detail.map { "  \(result.name): \($0)" } }
        if !details.isEmpty { lines += ["", "details:"] + details }
        return lines.joined(separator: "\n")
    }

    /// Writes the report as pretty, key-sorted JSON so that two runs diff cleanly.
    func writeJSON(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(self).write(to: URL(fileURLWithPath: path))
    }

    static func format(_ milliseconds: Double) -> String {
        String(format: milliseconds < 10 ? "%.2f" : "%.1f", milliseconds)
    }

    private static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { width, scalar in
            width + ((0x1100...0x115F).contains(scalar.value) || (0x2E80...0xA4CF).contains(scalar.value)
                || (0xAC00...0xD7A3).contains(scalar.value) || (0xF900...0xFAFF).contains(scalar.value)
                || (0xFF00...0xFF60).contains(scalar.value) ? 2 : 1)
        }
    }
}
