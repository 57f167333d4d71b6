import Foundation

/// The command line of `MarginBenchmarks`, parsed by hand: the target deliberately depends on nothing but the store,
/// so that the benchmark builds even while the CLI module is being changed.
struct BenchmarkOptions {
    /// Bad usage: the message, then exit status 64 like the `margin` CLI.
    struct UsageError: Error, CustomStringConvertible {
        var description: String
    }

    /// Folder of seed `*.txt` files.
    var seeds = "seeds"
    /// The `margin` executable; nil means "the default location, if it was built".
    var margin: String?
    /// Where to write the JSON report, if anywhere.
    var json: String?
    /// Reports in the scaled corpus.
    var reports = 2_000
    /// Reports per import call (per simulated file).
    var batch = 100
    /// Timed runs of the quick benchmarks (seed import, queries, CLI calls).
    var runs = 10
    /// Keep the scaled store after the run, to look into it with `sqlite3` or `margin`.
    var keepStore = false
    /// Timed runs of each scaled import (store and baseline); they take seconds each, hence fewer.
    var importRuns = 3
    /// The benchmark groups to run; all of them but `bootstrap` unless `--only` names them.
    var groups: Set<Group> = Set(Group.allCases).subtracting([.bootstrap])
    /// Synthetic annotation and tag revisions in the large sync history (the seed reports come on top).
    var syncRevisions = 100_000
    /// Timed repetitions of the quick sync benchmarks (no-op sync, incremental pulls).
    var syncRuns = 9
    /// Revisions per `receive` call in the ingest group.
    var ingestPage = 5_000
    /// Reports in the large store of the `large` group.
    var largeReports = 20_000
    /// Where the large store is kept between runs (built there when missing); nil means a temporary one.
    var largeStore: String?
    /// Notes written on each side of the git comparison, one process each.
    var gitNotes = 2_000
    /// Times the git comparison moves the notes, each side from the same state every time (medians).
    var moveRuns = 5
    /// Synthetic revisions on the server a new peer bootstraps from (the seed reports come on top).
    var bootstrapRevisions = 1_000_000
    /// Where the bootstrap server's store is kept between runs (built there when missing); nil: a temporary one.
    var bootstrapStore: String?

    /// A group of benchmarks, selectable with `--only`.
    enum Group: String, CaseIterable, Comparable {
        /// Seed import and scaled import against the raw-SQLite baseline.
        case `import`
        /// `show`/`find` in process and per `margin` process, on the scaled store.
        case query
        /// `MarginStore.receive` of the large sync history in process, against a raw-SQLite baseline.
        case ingest
        /// `margin sync` through `margin serve` on loopback, against a raw-SQLite baseline.
        case sync
        /// `margin reports` and `margin find 师` on a store of 20,000 synthetic reports, per process.
        case large
        /// `margin annotate`, `sync` and `serve` against `git add` + `commit`, `push` and `pull` on the same notes.
        case git
        /// A new peer's first `margin sync` of a long history, against plain replay (only with `--only`).
        case bootstrap

        static func < (lhs: Group, rhs: Group) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    /// Where `margin` is looked for when `--margin` is not given: the package's usual release build, then the
    /// benchmark's own scratch folder (which is where `--scratch-path .build-bench --product margin` puts it).
    static let defaultMarginPaths = [".build/release/margin", ".build-bench/release/margin"]

    static let usage = """
        USAGE: MarginBenchmarks [--only GROUPS] [--seeds DIR] [--margin PATH] [--json PATH] [--reports N] [--batch N]
                                [--runs N] [--import-runs N] [--keep-store] [--sync-revisions N] [--sync-runs N]
                                [--ingest-page N] [--large-reports N] [--large-store PATH] [--git-notes N]
                                [--move-runs N] [--bootstrap-revisions N] [--bootstrap-store PATH]

          --only GROUPS      comma-separated groups to run: import, query, ingest, sync, large, git, bootstrap
                             (default: all but bootstrap)
          --seeds DIR        seed report files (default: seeds)
          --margin PATH      the margin executable for per-process timings (default: .build/release/margin,
                             else .build-bench/release/margin; skipped when neither exists)
          --json PATH        also write the results as JSON to PATH
          --reports N        reports in the scaled corpus (default: 2000)
          --batch N          reports per import call (default: 100)
          --runs N           timed runs of quick benchmarks (default: 10)
          --import-runs N    timed runs of each scaled import (default: 3)
          --keep-store       keep the scaled store and the last ingest store, and print where they are
          --sync-revisions N synthetic revisions in the large sync history (default: 100000)
          --sync-runs N      timed runs of the no-op and incremental syncs (default: 9)
          --ingest-page N    revisions per receive call in the ingest group (default: 5000, as a sync)
          --large-reports N  synthetic reports in the large group's store (default: 20000)
          --large-store PATH keep the large store at PATH and reuse it on later runs (built there when missing)
          --git-notes N      notes written on each side of the git comparison (default: 2000; e.g. 100 for a
                             quick check); its no-op rounds are --sync-runs
          --move-runs N      times the git comparison moves the notes, from the same state (default: 5)
          --bootstrap-revisions N  synthetic revisions on the bootstrap server (default: 1000000)
          --bootstrap-store PATH   keep the bootstrap server's store at PATH and reuse it on later runs
        """

    /// Parses `arguments` (without the program name). Returns nil when help was asked for.
    static func parse(_ arguments: [String]) throws -> BenchmarkOptions? {
        var options = BenchmarkOptions()
        var remaining = arguments[...]
        func value(for flag: String) throws -> String {
            guard let value = remaining.popFirst() else { throw UsageError(description: "\(flag) needs a value.") }
            return value
        }
        func count(for flag: String) throws -> Int {
            let text = try value(for: flag)
            guard let number = Int(text), number > 0 else {
                throw UsageError(description: "\(flag) needs a positive whole number, not \"\(text)\".")
            }
            return number
        }
        while let flag = remaining.popFirst() {
            switch flag {
            case "--seeds": options.seeds = try value(for: flag)
            case "--margin": options.margin = try value(for: flag)
            case "--json": options.json = try value(for: flag)
            case "--reports": options.reports = try count(for: flag)
            case "--batch": options.batch = try count(for: flag)
            case "--runs": options.runs = try count(for: flag)
            case "--import-runs": options.importRuns = try count(for: flag)
            case "--keep-store": options.keepStore = true
            case "--only":
                let text = try value(for: flag)
                var groups: Set<Group> = []
                for name in text.split(separator: ",") {
                    guard let group = Group(rawValue: name.trimmingCharacters(in: .whitespaces).lowercased()) else {
                        throw UsageError(description: "Unknown group \"\(name)\" in --only; the groups are "
                            + Group.allCases.map(\.rawValue).joined(separator: ", ") + ".")
                    }
                    groups.insert(group)
                }
                guard !groups.isEmpty else { throw UsageError(description: "--only needs at least one group.") }
                options.groups = groups
            case "--sync-revisions": options.syncRevisions = try count(for: flag)
            case "--sync-runs": options.syncRuns = try count(for: flag)
            case "--ingest-page": options.ingestPage = try count(for: flag)
            case "--large-reports": options.largeReports = try count(for: flag)
            case "--large-store": options.largeStore = try value(for: flag)
            case "--git-notes": options.gitNotes = try count(for: flag)
            case "--move-runs": options.moveRuns = try count(for: flag)
            case "--bootstrap-revisions": options.bootstrapRevisions = try count(for: flag)
            case "--bootstrap-store": options.bootstrapStore = try value(for: flag)
            case "-h", "--help": return nil
            default: throw UsageError(description: "Unknown argument \"\(flag)\"; see --help.")
            }
        }
        return options
    }

    /// The `margin` executable to time, or nil when there is none.
    var marginExecutable: String? {
        let candidates = margin.map { [$0] } ?? Self.defaultMarginPaths
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
