import Foundation
import GRDB
import MarginCore
import MarginStore

/// `margin sync` through `margin serve` over loopback (127.0.0.1), on the release executables:
///
/// 1. a large history (the seed reports plus `--sync-revisions` synthetic annotation and tag revisions) pushed from
///    peer A to an empty server S, then pulled by an empty peer B, each a separate `margin sync` process; against
///    a raw SQLite baseline inserting the same revision rows;
/// 2. a no-op `margin sync` once B is complete;
/// 3. ten new revisions pulled on top of the large history, against the same on top of a 100-revision history.
///
/// Peak memory: `ru_maxrss` of each `margin sync` (through the measuring helper, see ``CommandTimer``), and the
/// server's `VmHWM` read just before it is stopped.
struct SyncBenchmarks {
    /// (push + pull) / (2 × baseline) and pull / baseline: moving a revision over HTTP, verified and materialized,
    /// may cost at most this over inserting its row.
    static let baselineRatioTarget = 4.0
    /// Every process (push client, pull client, server) should stay under this.
    static let peakMemoryTargetMB = 100.0
    /// Pulling ten revisions should not depend on how long the history is: large / small at most this.
    static let incrementalRatioTarget = 1.5
    /// Revisions added for the incremental benchmark.
    static let incrementalCount = 10
    /// Total history of the small trio.
    static let smallHistory = 100
    /// Receive page size for the untimed setup of store A.
    static let setupPage = 1_000
    /// Remote name used on every peer.
    static let remoteName = "bench"

    let options: BenchmarkOptions
    let seeds: [SeedFile]

    func run(into report: inout BenchmarkReport) throws {
        guard let executable = options.marginExecutable else {
            let looked = options.margin.map { [$0] } ?? BenchmarkOptions.defaultMarginPaths
            report.skip("sync: no margin executable at \(looked.joined(separator: " or ")); "
                + "build it with `swift build -c release --product margin` or pass --margin PATH")
            return
        }
        let margin = try CommandTimer(executable: executable)
        defer { margin.cleanUp() }
        var summary = SyncSummary()

        // MARK: Large history: setup (untimed), baseline, push, pull.
        print("\nsync (\(executable), loopback 127.0.0.1)")
        let large = try SyncTrio(seeds: seeds, synthetic: options.syncRevisions, margin: executable)
        defer { large.folder.remove() }
        let total = large.history.count
        summary.historyRevisions = total
        summary.setupSeconds = large.setupSeconds
        print(String(format: "  prepared A with %d revisions (%d reports + %d synthetic) in %.1f s (untimed)",
            total, large.reportRevisions, total - large.reportRevisions, large.setupSeconds))

        var baselineSamples: [Sample] = []
        for _ in 0..<options.importRuns {
            let folder = try TemporaryFolder("margin-bench-baseline")
            defer { folder.remove() }
            baselineSamples.append(try RevisionBaseline.insert(large.history, folder: folder.path))
        }
        let baseline = BenchmarkResult(
            group: "sync", name: "raw SQLite insert \(total) revision rows", samples: baselineSamples,
            detail: rate(total, baselineSamples.map(\.wall)))
        report.record(baseline)
        summary.rows.append(SyncRow(
            step: "raw SQLite insert (baseline)", samples: baselineSamples, revisions: total, requests: nil,
            peakMemoryMB: nil, serverCPU: nil))

        try large.startServer()
        let push = try large.sync(.a, margin)
        guard push.output.sent == total else {
            throw ImportMismatch(description: "the push sent \(push.output.sent) of \(total) revisions")
        }
        let pull = try large.sync(.b, margin)
        guard pull.output.received == total else {
            throw ImportMismatch(description: "the pull received \(pull.output.received) of \(total) revisions")
        }
        for (name, step, count) in [("push A→S", push, push.output.sent), ("pull S→B", pull, pull.output.received)] {
            report.record(BenchmarkResult(
                group: "sync", name: "margin sync \(name) \(count) revisions", samples: [step.sample],
                detail: rate(count, [step.sample.wall]) + ", \(step.output.requests) requests, "
                    + "peak \(megabytes(step.peakMemoryBytes)) MB, server cpu \(seconds(step.serverCPU)) s"))
            summary.rows.append(SyncRow(
                step: "margin sync \(name)", samples: [step.sample], revisions: count,
                requests: step.output.requests, peakMemoryMB: step.peakMemoryBytes.map(mb),
                serverCPU: step.serverCPU, target: "< \(Int(Self.peakMemoryTargetMB)) MB",
                met: step.peakMemoryBytes.map { mb($0) < Self.peakMemoryTargetMB }))
        }

        // MARK: The floor of every `margin` process, for reading the no-op and incremental numbers.
        var floor: [CommandTimer.Measured] = []
        for run in 0...options.syncRuns {
            let measured = try margin.run(["--help"], measuringMemory: true)
            if run > 0 { floor.append(measured) }
        }
        report.record(BenchmarkResult(
            group: "sync", name: "margin --help (process start-up floor)", samples: floor.map(\.elapsed)))
        summary.rows.append(SyncRow(
            step: "margin --help (start-up floor)", samples: floor.map(\.elapsed), revisions: nil, requests: nil,
            peakMemoryMB: floor.compactMap(\.peakMemoryBytes).max().map(mb), serverCPU: nil))

        // MARK: No-op sync on the complete peer.
        var noop: [SyncStep] = []
        for run in 0...options.syncRuns {
            let step = try large.sync(.b, margin)
            guard step.output.sent == 0, step.output.received == 0 else {
                throw ImportMismatch(description: "a no-op sync moved \(step.output.sent + step.output.received) revisions")
            }
            if run > 0 { noop.append(step) }
        }
        let noopRequests = noop.map(\.output.requests).max() ?? 0
        report.record(BenchmarkResult(
            group: "sync", name: "margin sync no-op (B complete)", samples: noop.map(\.sample),
            detail: "\(noopRequests) request(s)"))
        summary.rows.append(SyncRow(
            step: "margin sync no-op (B complete)", samples: noop.map(\.sample), revisions: 0, requests: noopRequests,
            peakMemoryMB: noop.compactMap(\.peakMemoryBytes).max().map(mb), serverCPU: median(noop.map(\.serverCPU)),
            target: "1 request", met: noopRequests == 1))

        // MARK: Incremental: ten new revisions on the large history and on a 100-revision one.
        let small = try SyncTrio(
            seeds: seeds, synthetic: max(0, Self.smallHistory - large.reportRevisions), margin: executable)
        defer { small.folder.remove() }
        try small.startServer()
        let smallPush = try small.sync(.a, margin)
        let smallPull = try small.sync(.b, margin)
        guard smallPush.output.sent == small.history.count, smallPull.output.received == small.history.count else {
            throw ImportMismatch(description: "the small trio moved \(smallPush.output.sent)/\(smallPull.output.received) "
                + "of \(small.history.count) revisions")
        }
        print("  incremental: \(options.syncRuns) rounds (after one warm-up), alternating the \(total)- and "
            + "\(small.history.count)-revision trios")
        var largeIncremental: [SyncStep] = []
        var smallIncremental: [SyncStep] = []
        // Rounds alternate between the two trios so that drift (neighbours, page cache) hits both alike.
        for round in 0...options.syncRuns {
            let largeStep = try incrementalRound(large, margin, round: round)
            let smallStep = try incrementalRound(small, margin, round: round)
            if round > 0 {
                largeIncremental.append(largeStep)
                smallIncremental.append(smallStep)
            }
        }
        large.stopServer()
        small.stopServer()
        let serverPeak = large.serverPeakMemoryBytes
        summary.rows.append(SyncRow(
            step: "margin serve, large history (whole run)", samples: [], revisions: nil, requests: nil,
            peakMemoryMB: serverPeak.map(mb), serverCPU: large.serverTotalCPU,
            target: "< \(Int(Self.peakMemoryTargetMB)) MB", met: serverPeak.map { mb($0) < Self.peakMemoryTargetMB }))

        for (history, steps) in [(total, largeIncremental), (small.history.count, smallIncremental)] {
            let samples = steps.map(\.sample)
            report.record(BenchmarkResult(
                group: "sync", name: "margin sync pull \(Self.incrementalCount) on \(history)", samples: samples,
                detail: "\(steps.map(\.output.requests).max() ?? 0) request(s), server cpu "
                    + "\(seconds(median(steps.map(\.serverCPU)))) s (median)"))
            summary.rows.append(SyncRow(
                step: "pull \(Self.incrementalCount) new on a \(history)-revision history", samples: samples,
                revisions: Self.incrementalCount, requests: steps.map(\.output.requests).max(),
                peakMemoryMB: steps.compactMap(\.peakMemoryBytes).max().map(mb),
                serverCPU: median(steps.map(\.serverCPU))))
        }

        // MARK: Ratios.
        let baselineMedian = baseline.medianMilliseconds
        let baselineCPU = baseline.cpuMedianMilliseconds
        let pushPull = push.sample.wall.milliseconds + pull.sample.wall.milliseconds
        let pushPullCPU = push.sample.cpu.milliseconds + pull.sample.cpu.milliseconds
        let bothRatio = pushPull / (2 * baselineMedian)
        report.ratios.append(BenchmarkRatio(
            name: "sync (push + pull) / (2 × raw SQLite insert)", median: bothRatio,
            min: pushPull / (2 * baseline.minMilliseconds), cpu: pushPullCPU / (2 * baselineCPU),
            target: Self.baselineRatioTarget, meetsTarget: bothRatio <= Self.baselineRatioTarget))
        let pullRatio = pull.sample.wall.milliseconds / baselineMedian
        report.ratios.append(BenchmarkRatio(
            name: "sync pull / raw SQLite insert", median: pullRatio,
            min: pull.sample.wall.milliseconds / baseline.minMilliseconds,
            cpu: pull.sample.cpu.milliseconds / baselineCPU,
            target: Self.baselineRatioTarget, meetsTarget: pullRatio <= Self.baselineRatioTarget))
        // The server's side of the push: its CPU time taking the pages (HTTP, JSON, checks, storing) against inserting
        // the same rows raw.
        if let serverCPU = push.serverCPU?.milliseconds {
            let serverRatio = serverCPU / baselineMedian
            report.ratios.append(BenchmarkRatio(
                name: "sync push: server cpu / raw SQLite insert", median: serverRatio,
                min: serverCPU / baseline.minMilliseconds, cpu: serverCPU / baselineCPU,
                target: IngestBenchmarks.serverRatioTarget, meetsTarget: serverRatio <= IngestBenchmarks.serverRatioTarget))
        }
        let largeMedian = BenchmarkResult.median(largeIncremental.map(\.sample.wall.milliseconds))
        let smallMedian = BenchmarkResult.median(smallIncremental.map(\.sample.wall.milliseconds))
        let incrementalRatio = largeMedian / smallMedian
        report.ratios.append(BenchmarkRatio(
            name: "sync pull \(Self.incrementalCount) on \(total) / on \(small.history.count)", median: incrementalRatio,
            min: (largeIncremental.map(\.sample.wall.milliseconds).min() ?? 0)
                / (smallIncremental.map(\.sample.wall.milliseconds).min() ?? 1),
            cpu: BenchmarkResult.median(largeIncremental.map(\.sample.cpu.milliseconds))
                / BenchmarkResult.median(smallIncremental.map(\.sample.cpu.milliseconds)),
            target: Self.incrementalRatioTarget, meetsTarget: incrementalRatio <= Self.incrementalRatioTarget))

        summary.checks = [
            SyncCheck(
                name: "(push + pull) / (2 × baseline)", value: bothRatio, cpuValue: pushPullCPU / (2 * baselineCPU),
                unit: "×", target: "≤ \(Self.baselineRatioTarget)×", met: bothRatio <= Self.baselineRatioTarget),
            SyncCheck(
                name: "pull / baseline", value: pullRatio, cpuValue: pull.sample.cpu.milliseconds / baselineCPU,
                unit: "×", target: "≤ \(Self.baselineRatioTarget)×", met: pullRatio <= Self.baselineRatioTarget),
            SyncCheck(
                name: "push + pull throughput", value: Double(2 * total) / (pushPull / 1_000), cpuValue: nil,
                unit: "revisions/s", target: nil, met: nil),
            SyncCheck(
                name: "incremental \(Self.incrementalCount): on \(total) / on \(small.history.count) (medians)",
                value: incrementalRatio, cpuValue: BenchmarkResult.median(largeIncremental.map(\.sample.cpu.milliseconds))
                    / BenchmarkResult.median(smallIncremental.map(\.sample.cpu.milliseconds)),
                unit: "×", target: "≤ \(Self.incrementalRatioTarget)×", met: incrementalRatio <= Self.incrementalRatioTarget),
            SyncCheck(
                name: "peak memory, largest process", value: ([push.peakMemoryBytes, pull.peakMemoryBytes, serverPeak]
                    .compactMap { $0 }.max()).map(mb) ?? 0, cpuValue: nil,
                unit: "MB", target: "< \(Int(Self.peakMemoryTargetMB)) MB",
                met: [push.peakMemoryBytes, pull.peakMemoryBytes, serverPeak].allSatisfy {
                    $0.map { mb($0) < Self.peakMemoryTargetMB } ?? false
                }),
        ]
        summary.tableText = summary.table()
        report.sync = summary
    }

    /// One incremental round: adds ten revisions to A (through the store API, untimed), pushes them with
    /// `margin sync` on A (untimed), then times `margin sync` on B.
    private func incrementalRound(_ trio: SyncTrio, _ margin: CommandTimer, round: Int) throws -> SyncStep {
        try trio.addAnnotations(Self.incrementalCount, round: round)
        let push = try trio.sync(.a, margin)
        let pull = try trio.sync(.b, margin)
        guard push.output.sent == Self.incrementalCount, pull.output.received == Self.incrementalCount else {
            throw ImportMismatch(description: "an incremental round moved \(push.output.sent) up and "
                + "\(pull.output.received) down instead of \(Self.incrementalCount)")
        }
        return pull
    }

    private func rate(_ count: Int, _ walls: [Duration]) -> String {
        let medianSeconds = BenchmarkResult.median(walls.map(\.milliseconds)) / 1_000
        return String(format: "%.0f revisions/s", Double(count) / medianSeconds)
    }
}

private func mb(_ bytes: Int) -> Double { Double(bytes) / 1_048_576 }
private func megabytes(_ bytes: Int?) -> String { bytes.map { String(format: "%.1f", mb($0)) } ?? "?" }
private func seconds(_ duration: Duration?) -> String {
    // /proc CPU times tick every 10 ms: zero means "less than a tick".
    duration.map { $0 == .zero ? "<0.01" : String(format: "%.2f", $0.milliseconds / 1_000) } ?? "?"
}
private func median(_ durations: [Duration?]) -> Duration? {
    let known = durations.compactMap { $0 }
    guard !known.isEmpty else { return nil }
    return .microseconds(Int64(BenchmarkResult.median(known.map(\.milliseconds)) * 1_000))
}

// MARK: - Peers

/// One timed `margin sync`: its times, what its `--json` summary said, its peak memory and the server's CPU time
/// meanwhile.
struct SyncStep {
    var sample: Sample
    var output: SyncOutput
    var peakMemoryBytes: Int?
    /// CPU time `margin serve` spent during the sync (from `/proc/PID/stat`; nil elsewhere).
    var serverCPU: Duration?
}

/// The parts of `margin sync --json` the benchmark reads.
struct SyncOutput: Decodable {
    struct Remote: Decodable {
        var requests: Int
        var complete: Bool
    }

    var remotes: [Remote]
    var sent: Int
    var received: Int
    var requests: Int { remotes.reduce(0) { $0 + $1.requests } }
}

/// Peer A (with the history), a server store S served by `margin serve`, and an empty peer B, in one folder.
final class SyncTrio {
    enum Peer { case a, b }

    let folder: TemporaryFolder
    let margin: String
    var aPath: String { folder.path + "/a" }
    var sPath: String { folder.path + "/s" }
    var bPath: String { folder.path + "/b" }
    /// Every revision of A, in A's change-log order.
    let history: [Revision]
    /// How many of them are the seed reports' revisions.
    let reportRevisions: Int
    /// How long preparing A took (untimed).
    let setupSeconds: Double
    /// A section of A to annotate, e.g. `3f9a/1`.
    private let section: String
    private var server: BackgroundProcess?
    private(set) var serverPeakMemoryBytes: Int?
    private(set) var serverTotalCPU: Duration?

    /// Makes store A with the seed reports (imported by A itself) and `synthetic` revisions of A's own, written in
    /// pages (A's sync signs them as it signs everything A wrote); and empty stores S and B.
    init(seeds: [SeedFile], synthetic: Int, margin: String) throws {
        folder = try TemporaryFolder("margin-bench-sync")
        self.margin = margin
        let clock = ContinuousClock()
        let started = clock.now
        let a = try MarginStore.create(at: folder.path + "/a", author: "甲")
        for seed in seeds { _ = try a.importReports(from: seed.data, fileName: seed.name) }
        let reports = try a.revisions(missingFrom: [:], limit: 1_000_000, maxBytes: .max, size: { _ in 0 }).revisions
        let generated = try SyntheticHistory.revisions(
            count: synthetic, after: reports, origin: a.peer.id, firstCounter: Int64(reports.count) + 1)
        for start in stride(from: 0, to: generated.count, by: SyncBenchmarks.setupPage) {
            let page = Array(generated[start..<min(start + SyncBenchmarks.setupPage, generated.count)])
            let outcome = try a.receive(page, source: "bench-setup")
            guard outcome.accepted == page.count else {
                throw ImportMismatch(description: "store A accepted \(outcome.accepted) of a page of \(page.count)")
            }
        }
        history = reports + generated
        reportRevisions = reports.count
        guard let largest = try a.reports().max(by: { ($0.sections, $1.title) < ($1.sections, $0.title) }) else {
            throw ImportMismatch(description: "store A has no reports")
        }
        section = largest.shortID + "/1"
        // The shared server's store is made only to be served (`margin init --server`).
        try MarginStore.create(at: folder.path + "/s", author: "服务器").markServesOnly()
        _ = try MarginStore.create(at: folder.path + "/b", author: "乙")
        setupSeconds = (clock.now - started).milliseconds / 1_000
    }

    deinit { stopServer() }

    /// Starts `margin serve` on S on a free loopback port and points A's and B's remote at it.
    func startServer() throws {
        let process = try BackgroundProcess(
            executable: margin, arguments: ["serve", "--store", sPath, "--host", "127.0.0.1", "--port", "0"],
            folder: folder.path)
        server = process
        let url = "http://" + (try process.waitForLine(startingWith: "listening on http://"))
        for path in [aPath, bPath] {
            let store = try MarginStore.open(at: path)
            _ = try store.removeRemote(name: SyncBenchmarks.remoteName)
            guard try store.addRemote(name: SyncBenchmarks.remoteName, url: url, token: nil) else {
                throw ImportMismatch(description: "could not add the remote to \(path)")
            }
        }
    }

    /// Stops the server after reading its peak memory and CPU time.
    func stopServer() {
        guard let server else { return }
        serverPeakMemoryBytes = server.peakMemoryBytes()
        let stopped = server.stop()
        serverTotalCPU = stopped.cpu
        self.server = nil
    }

    /// Runs `margin sync bench --store A|B --json` once, with its peak memory.
    func sync(_ peer: Peer, _ timer: CommandTimer) throws -> SyncStep {
        let path = peer == .a ? aPath : bPath
        let before = server?.cpuTime()
        let run = try timer.run(
            ["sync", SyncBenchmarks.remoteName, "--store", path, "--json"], measuringMemory: true)
        let after = server?.cpuTime()
        let output: SyncOutput
        do {
            output = try JSONDecoder().decode(SyncOutput.self, from: Data(run.output.utf8))
        } catch {
            throw ImportMismatch(description: "cannot read the JSON of margin sync: \(error); it printed "
                + String(run.output.prefix(300)))
        }
        guard output.remotes.allSatisfy(\.complete) else {
            throw ImportMismatch(description: "margin sync reported an incomplete sync")
        }
        let serverCPU: Duration? = if let before, let after { after - before } else { nil }
        return SyncStep(sample: run.elapsed, output: output, peakMemoryBytes: run.peakMemoryBytes, serverCPU: serverCPU)
    }

    /// Adds `count` annotations to A through the store API.
    func addAnnotations(_ count: Int, round: Int) throws {
        let a = try MarginStore.open(at: aPath)
        for index in 0..<count {
            try a.addAnnotation(on: section, text: "增量批注 第\(round)轮 第\(index + 1)条：请核对本段数据。")
        }
    }
}

extension BackgroundProcess {
    /// The process's user + system CPU time so far, from `/proc/PID/stat` (Linux only).
    func cpuTime() -> Duration? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        // After "pid (comm) ", field 3 is the state; utime and stime are fields 14 and 15.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Int64(fields[11]), let system = Int64(fields[12]) else { return nil }
        let ticks = Int64(sysconf(Int32(_SC_CLK_TCK)))
        return .microseconds((user + system) * 1_000_000 / max(ticks, 1))
    }
}

// MARK: - History

/// Builds valid revisions in memory, as a peer that annotates and tags a lot would have made them.
enum SyntheticHistory {
    /// The synthetic peer; its counters run 1…count without gaps.
    static let origin = PeerID(rawValue: "5eed0000000000b1")

    /// `count` revisions by `origin` (``origin`` by default) with counters from `firstCounter` on, made after (and on
    /// top of) the report revisions `reports`:
    /// 60 % new annotations on sections of those reports, 20 % edits of earlier annotations (one parent: the
    /// record's head), 20 % tags toggled on and off (10 tags; a toggle of an existing tag record names its head).
    /// Deterministic: the same input gives byte-identical revisions. Made by ``BootstrapHistory``, which makes the same
    /// history a page at a time.
    static func revisions(
        count: Int, after reports: [Revision], origin: PeerID = Self.origin, firstCounter: Int64 = 1
    ) throws -> [Revision] {
        guard count > 0 else { return [] }
        var history = try BootstrapHistory(after: reports, origin: origin, firstCounter: firstCounter)
        return try history.next(count)
    }
}

// MARK: - Baseline

/// The floor for moving revisions into a store: the same revision rows inserted into one plain table with GRDB
/// (`DatabaseQueue`, WAL with `synchronous = NORMAL` as the store, one prepared statement, 1,000 rows per
/// transaction, the id as primary key and `UNIQUE (origin, counter)` like the store's `revision` table) — no
/// hashing, no JSON, no change log, no heads, no materialized views, no HTTP, no second process.
enum RevisionBaseline {
    static let transactionSize = 1_000

    /// Creates the database in `folder` (untimed) and times inserting `revisions`.
    static func insert(_ revisions: [Revision], folder: String) throws -> Sample {
        var configuration = Configuration()
        configuration.journalMode = .wal
        let queue = try DatabaseQueue(path: folder + "/baseline.sqlite", configuration: configuration)
        try queue.write { db in
            try db.execute(sql: """
                CREATE TABLE revision (
                    id TEXT PRIMARY KEY, record_id TEXT NOT NULL, kind TEXT NOT NULL, parents TEXT NOT NULL,
                    origin TEXT NOT NULL, counter INTEGER NOT NULL, clock INTEGER NOT NULL, author TEXT NOT NULL,
                    created_at INTEGER NOT NULL, body TEXT NOT NULL, UNIQUE (origin, counter))
                """)
        }
        // The rows are prepared beforehand (parents as the JSON array text the store keeps): only SQLite is timed.
        let parents = revisions.map { BodyCoding.encode($0.parents.map(\.rawValue)) }
        let sample = try Stopwatch.time {
            for start in stride(from: 0, to: revisions.count, by: transactionSize) {
                try queue.write { db in
                    let statement = try db.cachedStatement(sql: """
                        INSERT INTO revision (id, record_id, kind, parents, origin, counter, clock, author, created_at, body)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """)
                    for index in start..<min(start + transactionSize, revisions.count) {
                        let revision = revisions[index]
                        try statement.execute(arguments: [
                            revision.id.rawValue, revision.record.rawValue, revision.kind.rawValue,
                            parents[index], revision.origin.rawValue,
                            revision.counter, revision.clock, revision.author, revision.createdAt, revision.body,
                        ])
                    }
                }
            }
        }
        let stored = try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM revision") ?? 0 }
        guard stored == revisions.count else {
            throw ImportMismatch(description: "the revision baseline holds \(stored) of \(revisions.count) rows")
        }
        return sample
    }
}

// MARK: - Report

/// One line of the sync table.
struct SyncRow: Encodable, Sendable {
    var step: String
    var runs: Int
    /// Median wall time, in milliseconds (nil for the server line).
    var medianMilliseconds: Double?
    var minMilliseconds: Double?
    var samplesMilliseconds: [Double]
    /// Median CPU time of the timed process (client or baseline), in milliseconds.
    var cpuMedianMilliseconds: Double?
    /// Median CPU time `margin serve` spent meanwhile, in milliseconds.
    var serverCPUMilliseconds: Double?
    var revisions: Int?
    /// Revisions per second at the median.
    var revisionsPerSecond: Double?
    /// HTTP requests made (from `margin sync --json`).
    var requests: Int?
    /// Peak resident memory of the process, in MiB.
    var peakMemoryMB: Double?
    var target: String?
    var meetsTarget: Bool?

    init(
        step: String, samples: [Sample], revisions: Int?, requests: Int?, peakMemoryMB: Double?, serverCPU: Duration?,
        target: String? = nil, met: Bool? = nil
    ) {
        self.step = step
        runs = samples.count
        samplesMilliseconds = samples.map(\.wall.milliseconds)
        medianMilliseconds = samples.isEmpty ? nil : BenchmarkResult.median(samplesMilliseconds)
        minMilliseconds = samplesMilliseconds.min()
        cpuMedianMilliseconds = samples.isEmpty ? nil : BenchmarkResult.median(samples.map(\.cpu.milliseconds))
        serverCPUMilliseconds = serverCPU?.milliseconds
        self.revisions = revisions
        if let revisions, revisions > 0, let median = medianMilliseconds, median > 0 {
            revisionsPerSecond = Double(revisions) / (median / 1_000)
        }
        self.requests = requests
        self.peakMemoryMB = peakMemoryMB
        self.target = target
        meetsTarget = met
    }
}

/// A derived number of the sync group and its target.
struct SyncCheck: Encodable, Sendable {
    var name: String
    var value: Double
    /// The same ratio computed from CPU times, where it makes sense.
    var cpuValue: Double?
    var unit: String
    var target: String?
    var met: Bool?
}

/// Everything the sync group measured; printed as its own table and written under `sync` in the JSON.
struct SyncSummary: Encodable, Sendable {
    /// Revisions in the large history (seed reports included).
    var historyRevisions = 0
    /// Untimed preparation of store A, in seconds.
    var setupSeconds = 0.0
    var rows: [SyncRow] = []
    var checks: [SyncCheck] = []
    /// The table as printed, for readers of the JSON.
    var tableText = ""

    func table() -> String {
        func f(_ value: Double?) -> String { value.map { BenchmarkReport.format($0) } ?? "-" }
        let header = ["sync step", "runs", "median ms", "cpu ms", "server cpu ms", "revisions", "rev/s", "requests",
            "peak MB", "target", "met"]
        var rows = [header]
        for row in self.rows {
            rows.append([
                row.step, String(row.runs), f(row.medianMilliseconds), f(row.cpuMedianMilliseconds),
                row.serverCPUMilliseconds.map { $0 == 0 ? "<10" : BenchmarkReport.format($0) } ?? "-",
                row.revisions.map(String.init) ?? "-",
                row.revisionsPerSecond.map { String(format: "%.0f", $0) } ?? "-", row.requests.map(String.init) ?? "-",
                row.peakMemoryMB.map { String(format: "%.1f", $0) } ?? "-", row.target ?? "-",
                row.meetsTarget.map { $0 ? "yes" : "NO" } ?? "-",
            ])
        }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        var lines = rows.map { row in
            zip(row, widths).enumerated().map { column, pair in
                let padding = String(repeating: " ", count: pair.1 - pair.0.count)
                return column == 0 || column == 9 ? pair.0 + padding : padding + pair.0
            }.joined(separator: "  ")
        }
        lines.insert(String(repeating: "-", count: widths.reduce(0, +) + 2 * (widths.count - 1)), at: 1)
        lines.insert(String(format: "sync over loopback: history of %d revisions (store A prepared in %.1f s, untimed)",
            historyRevisions, setupSeconds), at: 0)
        for check in checks {
            var line = "  \(check.name): " + String(format: check.unit == "×" ? "%.2f" : "%.1f", check.value) + " \(check.unit)"
            if let cpu = check.cpuValue { line += String(format: " (cpu %.2f \(check.unit))", cpu) }
            if let target = check.target { line += ", target \(target) — " + ((check.met ?? false) ? "met" : "NOT met") }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
