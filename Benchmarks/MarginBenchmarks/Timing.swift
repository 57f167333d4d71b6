import Foundation

/// Wall-clock timing with `ContinuousClock`, which is monotonic: unlike `Date`, it never jumps with NTP adjustments.
enum Stopwatch {
    /// Times one call of `body`.
    static func time(_ body: () throws -> Void) rethrows -> Duration {
        let clock = ContinuousClock()
        let start = clock.now
        try body()
        return clock.now - start
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
    ) throws -> [Duration] {
        var samples: [Duration] = []
        for run in 0..<(warmup + runs) {
            let state = try prepare()
            defer { cleanup(state) }
            let elapsed = try time { try body(state) }
            if run >= warmup { samples.append(elapsed) }
        }
        return samples
    }

    /// Like ``measure(runs:warmup:prepare:cleanup:_:)`` for a body that needs no fresh state.
    static func measure(runs: Int, warmup: Int = 1, _ body: () throws -> Void) throws -> [Duration] {
        try measure(runs: runs, warmup: warmup, prepare: {}, { _ in try body() })
    }
}

extension Duration {
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
