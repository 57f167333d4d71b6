import Foundation
import MarginCore
import MarginStore

/// A new peer joining a server that holds a long history (`--bootstrap-revisions`, one million by default): the
/// release `margin sync --pull-only` of an empty store from `margin serve` over loopback, until the peer is ready
/// (everything present, every revision's hash and signature chain checked, search working: its first `margin find`
/// is timed too). Against plain replay in the same run: the same pull into a store that already holds one report of
/// its own, which therefore applies and materializes the history page by page.
///
/// The server's store is prepared in process (untimed): the seed reports and the synthetic history are written
/// under the server's own identity and signed with its key, as a peer that wrote them there would have signed
/// them. With `--bootstrap-store PATH` it is kept there and reused by later runs.
struct BootstrapBenchmarks {
    /// A new peer must be ready within this on the benchmark machine (2 cores).
    static let readySecondsTarget = 60.0
    static let remoteName = "bench"

    let options: BenchmarkOptions
    let seeds: [SeedFile]

    /// How a peer takes the history.
    enum Mode: String, CaseIterable {
        case bulkLoad = "bootstrap (empty store, bulk load)"
        case plainReplay = "plain replay (page by page)"
    }

    /// What one peer's bootstrap measured.
    struct Outcome {
        var sync: CommandTimer.Measured
        var firstSearch: CommandTimer.Measured
        var serverCPU: Duration?
        var storeBytes: Int
        var received: Int

        var readySeconds: Double { (sync.elapsed.wall.milliseconds + firstSearch.elapsed.wall.milliseconds) / 1_000 }
    }

    func run(into report: inout BenchmarkReport) throws {
        guard let executable = options.marginExecutable else {
            report.skip("bootstrap: no margin executable; build it with `swift build -c release --product margin`")
            return
        }
        let margin = try CommandTimer(executable: executable)
        defer { margin.cleanUp() }
        let folder = try TemporaryFolder("margin-bench-bootstrap")
        defer { folder.remove() }
        let serverPath = options.bootstrapStore ?? folder.path + "/server"
        print("\nbootstrap (\(executable), loopback 127.0.0.1)")
        let server = try BootstrapServerStore.prepare(at: serverPath, seeds: seeds, synthetic: options.bootstrapRevisions)
        print(String(format: "  server store: %d revisions, %.1f MB (%@)", server.revisions,
            Double(Self.storeBytes(serverPath)) / 1_048_576, server.preparedSeconds.map {
                String(format: "prepared in %.1f s, untimed", $0)
            } ?? "reused"))
        report.environment["bootstrap.revisions"] = String(server.revisions)

        let process = try BackgroundProcess(
            executable: executable, arguments: ["serve", "--store", serverPath, "--host", "127.0.0.1", "--port", "0"],
            folder: folder.path)
        defer { process.stop() }
        let url = "http://" + (try process.waitForLine(startingWith: "listening on http://"))

        var outcomes: [Mode: Outcome] = [:]
        for mode in Mode.allCases {
            let path = folder.path + "/" + (mode == .bulkLoad ? "bulk" : "plain")
            let peer = try MarginStore.create(at: path, author: "新成员")
            if mode == .plainReplay {
                _ = try peer.importReports(
                    from: Data("本地报告\n\n前言：本地笔记。\n一、概述\n本地内容。\n".utf8), fileName: "local.txt")
            }
            guard try peer.addRemote(name: Self.remoteName, url: url, token: nil) else {
                throw ImportMismatch(description: "could not add the remote to \(path)")
            }
            // Both runs read the server's store from the page cache.
            Self.readThrough(serverPath)
            let before = process.cpuTime()
            let sync = try margin.run(
                ["sync", Self.remoteName, "--store", path, "--pull-only", "--json"], measuringMemory: true)
            let after = process.cpuTime()
            let output = try JSONDecoder().decode(SyncOutput.self, from: Data(sync.output.utf8))
            guard output.received == server.revisions, output.remotes.allSatisfy(\.complete) else {
                throw ImportMismatch(description: "\(mode.rawValue) received \(output.received) of \(server.revisions)")
            }
            let search = try margin.run(["find", "师", "--store", path], measuringMemory: true)
            let outcome = Outcome(
                sync: sync, firstSearch: search, serverCPU: before.flatMap { b in after.map { $0 - b } },
                storeBytes: Self.storeBytes(path), received: output.received)
            outcomes[mode] = outcome
            print(String(format: "  %@: sync %.1f s (cpu %.1f s, server cpu %@ s, peak %.1f MB), first find %.2f s, "
                + "ready %.1f s, %.0f revisions/s, store %.1f MB", mode.rawValue,
                sync.elapsed.wall.milliseconds / 1_000, sync.elapsed.cpu.milliseconds / 1_000,
                outcome.serverCPU.map { String(format: "%.1f", $0.milliseconds / 1_000) } ?? "?",
                Double(sync.peakMemoryBytes ?? 0) / 1_048_576, search.elapsed.wall.milliseconds / 1_000,
                outcome.readySeconds, Double(server.revisions) / (sync.elapsed.wall.milliseconds / 1_000),
                Double(outcome.storeBytes) / 1_048_576))
            report.record(BenchmarkResult(
                group: "bootstrap", name: "\(mode.rawValue): margin sync of \(server.revisions) revisions",
                samples: [sync.elapsed],
                targetMilliseconds: mode == .bulkLoad ? Self.readySecondsTarget * 1_000 : nil,
                detail: String(format: "peak %.1f MB, server cpu %@ s, store %.1f MB (%.0f bytes/revision)",
                    Double(sync.peakMemoryBytes ?? 0) / 1_048_576,
                    outcome.serverCPU.map { String(format: "%.1f", $0.milliseconds / 1_000) } ?? "?",
                    Double(outcome.storeBytes) / 1_048_576, Double(outcome.storeBytes) / Double(server.revisions))))
            report.record(BenchmarkResult(
                group: "bootstrap", name: "\(mode.rawValue): first margin find", samples: [search.elapsed]))
        }
        try Self.compare(bulk: folder.path + "/bulk", plain: folder.path + "/plain")
        print("  both peers hold the same revisions, notes, conflicts, tags and search results")

        let bulk = outcomes[.bulkLoad]!
        let plain = outcomes[.plainReplay]!
        report.record(BenchmarkResult(
            group: "bootstrap", name: "bootstrap ready (sync + first find) of \(server.revisions) revisions",
            samples: [Sample(
                wall: bulk.sync.elapsed.wall + bulk.firstSearch.elapsed.wall,
                cpu: bulk.sync.elapsed.cpu + bulk.firstSearch.elapsed.cpu)],
            targetMilliseconds: Self.readySecondsTarget * 1_000,
            detail: String(format: "plain replay ready in %.1f s", plain.readySeconds)))
        report.ratios.append(BenchmarkRatio(
            name: "bootstrap ready / plain replay ready", median: bulk.readySeconds / plain.readySeconds,
            min: bulk.readySeconds / plain.readySeconds,
            cpu: (bulk.sync.elapsed.cpu + bulk.firstSearch.elapsed.cpu).milliseconds
                / (plain.sync.elapsed.cpu + plain.firstSearch.elapsed.cpu).milliseconds,
            target: 1, meetsTarget: bulk.readySeconds < plain.readySeconds))
    }

    /// Checks that the two peers ended alike; the plain one holds its own report on top.
    static func compare(bulk bulkPath: String, plain plainPath: String) throws {
        let bulk = try MarginStore.open(at: bulkPath)
        let plain = try MarginStore.open(at: plainPath)
        var bulkVector = try bulk.versionVector()
        var plainVector = try plain.versionVector()
        bulkVector[bulk.peer.id] = nil
        plainVector[plain.peer.id] = nil
        func check(_ what: String, _ same: Bool) throws {
            if !same { throw ImportMismatch(description: "after the bootstrap, the two peers differ in \(what)") }
        }
        try check("their version vectors", bulkVector == plainVector)
        try check("pending work", try !bulk.bulkLoadPending())
        try check("open conflicts", try bulk.openConflictCount() == plain.openConflictCount())
        try check("notes", try bulk.notes(limit: 100) == plain.notes(limit: 100))
        try check("tags", try bulk.tagCounts() == plain.tagCounts())
        try check("reports", try bulk.reports().count + 1 == plain.reports().count)
        for query in ["核实", "第1234次修改", "建议补充"] {
            try check("finding \(query)", try bulk.find(text: query, limit: 200) == plain.find(text: query, limit: 200))
        }
    }

    /// Bytes of a store's database files (with its write-ahead log).
    static func storeBytes(_ path: String) -> Int {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return files.filter { $0.hasPrefix("store.sqlite") }.reduce(0) { total, name in
            total + ((try? FileManager.default.attributesOfItem(atPath: path + "/" + name)[.size] as? Int) ?? 0)
        }
    }

    /// Reads a store's database files once, so that the server answers from the page cache in every run.
    static func readThrough(_ path: String) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] where name.hasPrefix("store.sqlite") {
            guard let handle = FileHandle(forReadingAtPath: path + "/" + name) else { continue }
            while let chunk = try? handle.read(upToCount: 16 << 20), !chunk.isEmpty {}
            try? handle.close()
        }
    }
}
