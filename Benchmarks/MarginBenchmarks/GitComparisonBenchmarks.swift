import Foundation

/// `margin` against `git` at git's own job, one process per command on both sides:
///
/// 1. **Write**: `--git-notes` (2,000) notes, each one `margin annotate REF TEXT` on A, against each a file written
///    into a git working tree and recorded with one `git add` + one `git commit` (the file write is not timed: margin
///    gets its text on the command line). Margin and git alternate note by note, so drift hits both alike.
/// 2. **Move**: all of them from A to a shared server to B. Margin: `margin sync` on A (to `margin serve` on a free
///    127.0.0.1 port), then `margin sync` on B. Git: `git push` from A to a bare repository on disk, then `git pull`
///    on B (a clone made before the notes were written). `--move-runs` times, medians: both sides are copied before
///    the first move and put back before each later one (see ``FolderSnapshot``; margin's server is restarted on
///    its port, so every round, the first included, meets a freshly started server), and the side that goes first
///    alternates.
/// 3. **No-op**: once both sides are complete, `margin sync` on A and on B, against `git pull` + `git push` on A and
///    on B; `--sync-runs` rounds after one warm-up, medians.
///
/// Beside them, not a target: `margin --version` against `git --version`, the cost of starting a process that does
/// nothing, which every margin command above pays once and every git line pays once per git process.
///
/// Both sides start from the same state, set up untimed: the seed reports imported into margin's A and synced to
/// the server and B; the seed files committed in git's A, pushed to the bare repository and cloned as B.
struct GitComparisonBenchmarks {
    /// Moving the notes should be at least this many times faster than git's push + pull.
    static let moveSpeedupTarget = 10.0
    /// Writing one note and a no-op sync should be at least as fast as git's (speed-up ≥ 1).
    static let parityTarget = 1.0

    let options: BenchmarkOptions
    let seeds: [SeedFile]

    /// Runs the three comparisons; returns the comparison table, printed after the main one, or nil when skipped.
    func run(into report: inout BenchmarkReport) throws -> String? {
        guard let marginPath = options.marginExecutable else {
            report.skip("git: no margin executable; build it with `swift build -c release --product margin` "
                + "or pass --margin PATH")
            return nil
        }
        guard let gitPath = GitPeers.findGit() else {
            report.skip("git: no git executable on PATH")
            return nil
        }
        let notes = options.gitNotes
        print("\ngit comparison (\(marginPath) vs \(gitPath), \(notes) notes, one process per command)")
        let folder = try TemporaryFolder("margin-bench-git")
        defer { folder.remove() }
        let margin = try CommandTimer(executable: marginPath)
        defer { margin.cleanUp() }
        let git = try CommandTimer(executable: gitPath)
        defer { git.cleanUp() }

        let clock = ContinuousClock()
        let setupStarted = clock.now
        let marginPeers = try MarginPeers(folder: folder.path + "/margin", seeds: seeds, margin: margin)
        defer { marginPeers.stopServer() }
        let gitPeers = try GitPeers(folder: folder.path + "/git", seeds: seeds, git: git)
        print(String(format: "  set up both sides (seed reports on A, the server and B) in %.1f s (untimed)",
            (clock.now - setupStarted).milliseconds / 1_000))

        // MARK: Write, note by note, alternating.
        var marginWrites: [Sample] = []
        var gitWrites: [Sample] = []
        let writeStarted = clock.now
        for index in 0..<notes {
            let text = GitPeers.noteText(index)
            let reference = marginPeers.sections[index % marginPeers.sections.count]
            marginWrites.append(try marginPeers.annotate(reference, text))
            gitWrites.append(try gitPeers.commitNote(index, on: reference, text: text))
            if (index + 1) % max(1, notes / 10) == 0 || index + 1 == notes {
                print(String(format: "  wrote %d/%d notes on each side (%.0f s so far)", index + 1, notes,
                    (clock.now - writeStarted).milliseconds / 1_000))
            }
        }
        let marginWrite = BenchmarkResult(group: "git", name: "margin annotate (per note)", samples: marginWrites)
        let gitWrite = BenchmarkResult(group: "git", name: "git add + git commit (per note)", samples: gitWrites)
        report.record(marginWrite)
        report.record(gitWrite)

        // MARK: Move A → server → B, `moveRuns` times from the same state, alternating which side goes first.
        let before = try TemporaryFolder("margin-bench-git-before")
        defer { before.remove() }
        let marginBefore = try marginPeers.snapshot(into: before.path + "/margin")
        let gitBefore = try gitPeers.snapshot(into: before.path + "/git", spares: options.moveRuns - 1)
        var marginPushes: [Sample] = [], marginPulls: [Sample] = []
        var gitPushes: [Sample] = [], gitPulls: [Sample] = []
        var requests = (push: 0, pull: 0)
        for round in 0..<options.moveRuns {
            if round > 0 {
                try marginPeers.restore(marginBefore)
                try gitPeers.restore(gitBefore)
            }
            // What copying or putting back left to write goes to disk now, not during a timed fsync of either side.
            sync()
            func moveMargin() throws {
                let push = try marginPeers.sync(.a)
                let pull = try marginPeers.sync(.b)
                guard push.output.sent == notes, pull.output.received == notes else {
                    throw ImportMismatch(description: "margin moved \(push.output.sent) up and "
                        + "\(pull.output.received) down instead of \(notes)")
                }
                marginPushes.append(push.sample)
                marginPulls.append(pull.sample)
                requests = (push.output.requests, pull.output.requests)
            }
            func moveGit() throws {
                let push = try gitPeers.push(from: .a)
                let pull = try gitPeers.pull(into: .b)
                let arrived = try gitPeers.noteFiles(in: .b)
                guard arrived == notes else { throw ImportMismatch(description: "git's B holds \(arrived) of \(notes) notes") }
                gitPushes.append(push)
                gitPulls.append(pull)
            }
            if round % 2 == 0 {
                try moveMargin()
                try moveGit()
            } else {
                try moveGit()
                try moveMargin()
            }
            let (marginPush, marginPull) = (marginPushes[round].wall.milliseconds, marginPulls[round].wall.milliseconds)
            let (gitPush, gitPull) = (gitPushes[round].wall.milliseconds, gitPulls[round].wall.milliseconds)
            print(String(format: "  move %d/%d: margin %.1f ms (push %.1f, pull %.1f), git %.1f ms (push %.1f, pull %.1f)",
                round + 1, options.moveRuns, marginPush + marginPull, marginPush, marginPull, gitPush + gitPull, gitPush,
                gitPull))
        }
        let marginMoveResult = BenchmarkResult(
            group: "git", name: "margin sync A → serve → sync B (\(notes) notes)",
            samples: Self.moves(marginPushes, marginPulls),
            detail: Self.steps(marginPushes, marginPulls) + ", \(requests.push) + \(requests.pull) requests")
        let gitMoveResult = BenchmarkResult(
            group: "git", name: "git push A → bare → pull B (\(notes) notes)", samples: Self.moves(gitPushes, gitPulls),
            detail: Self.steps(gitPushes, gitPulls))
        report.record(marginMoveResult)
        report.record(gitMoveResult)

        // MARK: No-op, both sides, alternating margin and git.
        var marginNoop: [Sample] = []
        var gitNoop: [Sample] = []
        var marginSides: [[Sample]] = [[], []]
        var gitSides: [[Sample]] = [[], []]
        for round in 0...options.syncRuns {
            var marginRound: [Sample] = []
            var gitRound: [Sample] = []
            for peer in [PeerSide.a, .b] {
                let step = try marginPeers.sync(peer)
                guard step.output.sent == 0, step.output.received == 0 else {
                    throw ImportMismatch(description: "a no-op margin sync moved \(step.output.sent + step.output.received) revisions")
                }
                marginRound.append(step.sample)
                let pull = try gitPeers.pull(into: peer)
                let push = try gitPeers.push(from: peer)
                gitRound.append(Sample(wall: pull.wall + push.wall, cpu: pull.cpu + push.cpu))
            }
            guard round > 0 else { continue }
            for side in 0..<2 {
                marginSides[side].append(marginRound[side])
                gitSides[side].append(gitRound[side])
            }
            marginNoop.append(Sample(wall: marginRound[0].wall + marginRound[1].wall, cpu: marginRound[0].cpu + marginRound[1].cpu))
            gitNoop.append(Sample(wall: gitRound[0].wall + gitRound[1].wall, cpu: gitRound[0].cpu + gitRound[1].cpu))
        }
        let marginNoopResult = BenchmarkResult(
            group: "git", name: "no-op margin sync on A and on B", samples: marginNoop,
            detail: Self.sides(marginSides))
        let gitNoopResult = BenchmarkResult(
            group: "git", name: "no-op git pull + git push on A and on B", samples: gitNoop,
            detail: Self.sides(gitSides))
        report.record(marginNoopResult)
        report.record(gitNoopResult)

        // MARK: Start-up alone, alternating.
        var marginStarts: [Sample] = []
        var gitStarts: [Sample] = []
        for _ in 0..<Self.startupRuns {
            marginStarts.append(try margin.run(["--version"]).elapsed)
            gitStarts.append(try git.run(["--version"]).elapsed)
        }
        let marginStart = BenchmarkResult(group: "git", name: "margin --version", samples: marginStarts)
        let gitStart = BenchmarkResult(group: "git", name: "git --version", samples: gitStarts)
        report.record(marginStart)
        report.record(gitStart)

        // MARK: Ratios (margin / git, so that ≤ target reads like the other ratios) and the table.
        let comparisons = [
            GitComparison(
                name: "write one note (median of \(notes))", margin: marginWrite, git: gitWrite,
                total: (Self.total(marginWrites), Self.total(gitWrites)), speedupTarget: Self.parityTarget),
            GitComparison(
                name: "move \(notes) notes A → server → B (median of \(options.moveRuns))", margin: marginMoveResult,
                git: gitMoveResult, total: nil, speedupTarget: Self.moveSpeedupTarget),
            GitComparison(
                name: "no-op sync, A and B (median of \(options.syncRuns))", margin: marginNoopResult, git: gitNoopResult,
                total: nil, speedupTarget: Self.parityTarget),
        ]
        for comparison in comparisons {
            report.ratios.append(BenchmarkRatio(
                name: "git: margin / git, \(comparison.name)", measured: comparison.margin, baseline: comparison.git,
                target: 1 / comparison.speedupTarget))
        }
        return GitComparison.table(comparisons, notes: notes) + "\n" + String(
            format: "  start-up alone (not a target), median of %d: margin --version %.1f ms (cpu %.1f), "
                + "git --version %.1f ms (cpu %.1f)",
            Self.startupRuns, marginStart.medianMilliseconds, marginStart.cpuMedianMilliseconds,
            gitStart.medianMilliseconds, gitStart.cpuMedianMilliseconds)
    }

    /// How many times each `--version` runs for the start-up line.
    static let startupRuns = 21

    /// The sum of the samples' wall and CPU times.
    static func total(_ samples: [Sample]) -> Sample {
        samples.reduce(Sample(wall: .zero, cpu: .zero)) { Sample(wall: $0.wall + $1.wall, cpu: $0.cpu + $1.cpu) }
    }

    /// Each round's move: its push and its pull together.
    private static func moves(_ pushes: [Sample], _ pulls: [Sample]) -> [Sample] {
        zip(pushes, pulls).map { total([$0, $1]) }
    }

    /// "push 50 ms, pull 80 ms (medians of 5; moves 125–160 ms)".
    private static func steps(_ pushes: [Sample], _ pulls: [Sample]) -> String {
        let moves = moves(pushes, pulls).map(\.wall.milliseconds)
        return String(
            format: "push %.0f ms, pull %.0f ms (medians of %d; moves %.0f–%.0f ms)",
            BenchmarkResult.median(pushes.map(\.wall.milliseconds)), BenchmarkResult.median(pulls.map(\.wall.milliseconds)),
            moves.count, moves.min() ?? 0, moves.max() ?? 0)
    }

    /// "A 12.3 ms, B 11.0 ms (medians)".
    private static func sides(_ sides: [[Sample]]) -> String {
        zip(["A", "B"], sides).map { name, samples in
            name + " " + BenchmarkReport.format(BenchmarkResult.median(samples.map(\.wall.milliseconds))) + " ms"
        }.joined(separator: ", ") + " (medians)"
    }
}
