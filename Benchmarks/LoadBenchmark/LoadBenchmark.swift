import Foundation
import MarginCore
import MarginStore

/// 50 readers syncing at once against `margin serve`, on each backend, and on PostgreSQL with a read replica.
///
/// Every reader is its own store and every sync its own `margin sync` process, as on 50 machines. A round: each
/// reader writes one note (in this process, untimed), then all of them start `margin sync` at the same moment; each
/// sync pushes its note and pulls the others' of the previous round. A sync's latency is its process's wall time,
/// start-up included (the start-up floor, `margin --version`, is printed for reading it). After the timed rounds
/// every reader syncs once more, one after another, and must then hold every note: the load loses nothing. With a
/// replica, pulls come from a standby that may lag a little: the settling passes each start once it has replayed
/// everything.
struct LoadBenchmark {
    let options: LoadOptions

    /// Runs each backend and prints its line; true when no sync failed and every backend's readers converged.
    func run() async throws -> Bool {
        let margin = URL(fileURLWithPath: options.margin)
        guard FileManager.default.isExecutableFile(atPath: margin.path) else {
            throw LoadOptions.UsageError(description: "no margin executable at \(options.margin); build it with `swift build -c release --product margin`")
        }
        let seed = try Self.firstSeed(in: options.seeds)
        let floor = try Self.startUpFloor(margin)
        print(String(
            format: "load: %d readers × %d rounds, one note each, then all sync at once; `margin --version` start-up floor %.1f ms (median of 9)",
            options.clients, options.rounds, floor))
        print("backend      syncs  errors   p50 ms   p90 ms   p99 ms   max ms  syncs/s  server cpu s  converged")
        var passed = true
        for backend in options.backends {
            let outcome: LoadOutcome
            switch backend {
            case .store:
                outcome = try await LoadRun(backend: backend, margin: margin, seed: seed, options: options).run()
            case .postgresql:
                guard options.database != nil else {
                    print("postgresql   not run: no database (run through `scripts/postgres-test-cluster.sh run`, or pass --database URL)")
                    passed = false
                    continue
                }
                outcome = try await LoadRun(backend: backend, margin: margin, seed: seed, options: options).run()
            case .replica:
                guard options.database != nil, options.replica != nil else {
                    print("replica      not run: no database and standby (run through `scripts/postgres-test-cluster.sh run`, or pass --database and --replica)")
                    passed = false
                    continue
                }
                outcome = try await LoadRun(backend: backend, margin: margin, seed: seed, options: options).run()
            }
            print(outcome.line)
            passed = passed && outcome.errors.isEmpty && outcome.converged
            for error in outcome.errors.prefix(5) { print("  error: \(error)") }
        }
        print(passed ? "load: no errors, every reader holds every note" : "load: FAILED (see above)")
        return passed
    }

    /// The first seed report file.
    static func firstSeed(in folder: String) throws -> URL {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".txt") }.sorted()
        guard let first = names.first else { throw LoadOptions.UsageError(description: "no *.txt seeds in \(folder)") }
        return URL(fileURLWithPath: folder).appendingPathComponent(first)
    }

    /// The median wall time of `margin --version`, in milliseconds.
    static func startUpFloor(_ margin: URL) throws -> Double {
        var samples: [Double] = []
        for _ in 0..<9 {
            let process = Process()
            process.executableURL = margin
            process.arguments = ["--version"]
            process.standardOutput = FileHandle.nullDevice
            let started = Date()
            try process.run()
            process.waitUntilExit()
            samples.append(Date().timeIntervalSince(started) * 1000)
        }
        return samples.sorted()[samples.count / 2]
    }
}

/// What one backend's load showed.
struct LoadOutcome {
    var backend: LoadBackend
    /// Each timed sync's wall time, in milliseconds.
    var latencies: [Double]
    /// Why syncs failed, one entry per failed sync.
    var errors: [String]
    /// Wall time of all timed rounds, in seconds.
    var seconds: Double
    /// The server's CPU time over the whole run, in seconds, if it could be read.
    var serverCPU: Double?
    /// Whether every reader ended with every note.
    var converged: Bool

    func percentile(_ fraction: Double) -> Double {
        let sorted = latencies.sorted()
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }

    var line: String {
        let name = backend.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)
        let numbers = String(
            format: " %6d %7d %8.1f %8.1f %8.1f %8.1f %8.1f", latencies.count + errors.count, errors.count,
            percentile(0.5), percentile(0.9), percentile(0.99), latencies.max() ?? 0,
            Double(latencies.count) / max(seconds, 0.001))
        let cpu = serverCPU.map { String(format: "%13.1f", $0) } ?? "            ?"
        return name + numbers + " " + cpu + "  " + (converged ? "yes" : "NO")
    }
}
