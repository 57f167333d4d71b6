import Foundation

/// One timed run: wall time, and the CPU time (user + system) spent meanwhile.
///
/// CPU time is recorded because the benchmark often shares a small machine with compilers: wall time then
/// includes waiting for a core, while CPU time stays close to the work actually done.
struct Sample: Sendable {
    /// Elapsed wall-clock time.
    var wall: Duration
    /// CPU time of this process (in-process benchmarks) or of the child process (per-process benchmarks).
    var cpu: Duration
}

/// Timing with `ContinuousClock`, which is monotonic (unlike `Date`, it never jumps with NTP adjustments), plus
/// `getrusage` CPU time.
enum Stopwatch {
    /// This process's CPU time so far, all threads included (GRDB may read on its own threads).
    static var processCPUTime: Duration {
        var usage = rusage()
        #if canImport(Glibc)
        // Glibc declares the `who` constants as a C enum, Darwin as plain integers.
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        return Duration(usage.ru_utime) + Duration(usage.ru_stime)
    }

    /// Times one call of `body`.
    static func time(_ body: () throws -> Void) rethrows -> Sample {
        let clock = ContinuousClock()
        let startCPU = processCPUTime
        let start = clock.now
        try body()
        let wall = clock.now - start
        return Sample(wall: wall, cpu: processCPUTime - startCPU)
    }

    /// Runs `body` `warmup + runs` times, each on fresh state from `prepare`, and returns the last `runs` durations.
    ///
    /// Only `body` is timed: making a temporary store or deleting it afterwards is not what we want to measure.
    /// Warm-up runs are dropped because the first run pays for page-cache misses and lazy symbol binding.
    ///
    /// ```swift
    /// let samples = try Stopwatch.measure(runs: 5, prepare: { try TemporaryFolder() }) { folder in … }
    /// ```
    static func measure<State>(
        runs: Int, warmup: Int = 1,
        prepare: () throws -> State,
        cleanup: (State) -> Void = { _ in },
        _ body: (State) throws -> Void
    ) throws -> [Sample] {
        var samples: [Sample] = []
        for run in 0..<(warmup + runs) {
            let state = try prepare()
            defer { cleanup(state) }
            let elapsed = try time { try body(state) }
            if run >= warmup { samples.append(elapsed) }
        }
        return samples
    }

    /// Like ``measure(runs:warmup:prepare:cleanup:_:)`` for a body that needs no fresh state.
    static func measure(runs: Int, warmup: Int = 1, _ body: () throws -> Void) throws -> [Sample] {
        try measure(runs: runs, warmup: warmup, prepare: {}, { _ in try body() })
    }
}

extension Duration {
    /// Converts a `getrusage`/`wait4` CPU time.
    init(_ time: timeval) {
        self = .seconds(Int64(time.tv_sec)) + .microseconds(Int64(time.tv_usec))
    }

    /// The duration in milliseconds, for tables and JSON (which have no notion of `Duration`).
    var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1_000 + Double(attoseconds) / 1e15
    }
}

/// A folder under the system temporary directory, for a store or baseline database that must start empty.
struct TemporaryFolder {
    /// The folder's path; it exists once the value is made.
    let path: String

    /// Makes a new, empty folder whose name starts with `prefix`.
    init(_ prefix: String = "margin-bench") throws {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Deletes the folder and everything in it; failures are ignored because a leftover temp folder is harmless.
    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
