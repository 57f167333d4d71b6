import Foundation
import MarginStore

/// The two peers of either side of the git comparison: A writes, B receives.
enum PeerSide { case a, b }

/// Margin's side of the git comparison: stores A, S and B in one folder, S served by `margin serve` on a free
/// 127.0.0.1 port, and every command a separate `margin` process.
final class MarginPeers {
    let margin: CommandTimer
    let aPath: String
    let bPath: String
    let sPath: String
    /// Every section of A's reports, as a person types it (`3f9a/2.1`): the places the notes go, in turn.
    let sections: [String]
    private var server: BackgroundProcess?
    /// The port the server listens on, which A's and B's remote names; a restarted server takes it again.
    private var serverPort = 0
    private let folder: String

    /// Makes A with the seed reports, an empty server store S and an empty B, starts the server, and syncs A and
    /// then B with it, so that both peers start with the seed reports (all untimed).
    init(folder: String, seeds: [SeedFile], margin: CommandTimer) throws {
        self.folder = folder
        self.margin = margin
        aPath = folder + "/a"
        bPath = folder + "/b"
        sPath = folder + "/s"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let a = try MarginStore.create(at: aPath, author: "甲")
        for seed in seeds { _ = try a.importReports(from: seed.data, fileName: seed.name) }
        var sections: [String] = []
        for report in try a.reports() { sections += try a.outline(of: report.shortID).sections.map(\.reference) }
        guard !sections.isEmpty else { throw ImportMismatch(description: "the seed reports have no sections") }
        self.sections = sections
        // The shared server's store is made only to be served (`margin init --server`), as a bare repository is.
        try MarginStore.create(at: sPath, author: "服务器").markServesOnly()
        _ = try MarginStore.create(at: bPath, author: "乙")

        let url = try startServer(port: 0)
        for path in [aPath, bPath] {
            guard try MarginStore.open(at: path).addRemote(name: SyncBenchmarks.remoteName, url: url, token: nil) else {
                throw ImportMismatch(description: "could not add the remote to \(path)")
            }
        }
        let pushed = try sync(.a)
        let pulled = try sync(.b)
        guard pushed.output.sent > 0, pulled.output.received == pushed.output.sent else {
            throw ImportMismatch(description: "setting up margin's B received \(pulled.output.received) of "
                + "\(pushed.output.sent) seed revisions")
        }
    }

    deinit { stopServer() }

    /// `margin annotate REFERENCE TEXT --store A`, timed.
    func annotate(_ reference: String, _ text: String) throws -> Sample {
        try margin.run(["annotate", reference, text, "--store", aPath]).elapsed
    }

    /// `margin sync bench --store A|B --json`, timed, with what it says it moved. Its CPU time includes what the
    /// server spent meanwhile (from `/proc`, in 10 ms ticks), as git's includes the `git-receive-pack` or
    /// `git-upload-pack` it starts.
    func sync(_ peer: PeerSide) throws -> (sample: Sample, output: SyncOutput) {
        let serverBefore = server?.cpuTime()
        var run = try margin.run(["sync", SyncBenchmarks.remoteName, "--store", peer == .a ? aPath : bPath, "--json"])
        if let serverBefore, let serverAfter = server?.cpuTime() { run.elapsed.cpu += serverAfter - serverBefore }
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
        return (run.elapsed, output)
    }

    /// Stops the server (SIGTERM, then waits for it).
    func stopServer() {
        server?.stop()
        server = nil
    }

    /// Starts `margin serve` on S at `port` (0: a free one) and returns its URL.
    @discardableResult
    private func startServer(port: Int) throws -> String {
        let process = try BackgroundProcess(
            executable: margin.executable,
            arguments: ["serve", "--store", sPath, "--host", "127.0.0.1", "--port", String(port)], folder: folder)
        server = process
        let url = "http://" + (try process.waitForLine(startingWith: "listening on http://"))
        guard let port = URLComponents(string: url)?.port else {
            throw ImportMismatch(description: "margin serve listens on \(url), which has no port")
        }
        serverPort = port
        return url
    }

    /// Copies A, S and B into `folder`, to be put back in place (see ``FolderSnapshot/Restoring``), the server
    /// stopped meanwhile and started again on its port.
    func snapshot(into folder: String) throws -> [FolderSnapshot] {
        stopServer()
        let copies = Result {
            try [aPath, sPath, bPath].map { path in
                try FolderSnapshot(of: path, into: folder + "/" + (path as NSString).lastPathComponent, restoring: .inPlace)
            }
        }
        try startServer(port: serverPort)
        return try copies.get()
    }

    /// Puts A, S and B back as `snapshot` copied them, the server stopped meanwhile and started again on its port
    /// (the URL A and B know): a fresh server process, as in every round of a repeated move.
    func restore(_ snapshot: [FolderSnapshot]) throws {
        stopServer()
        for copy in snapshot { try copy.restore() }
        try startServer(port: serverPort)
    }
}

/// Git's side: a working tree A, a bare repository on disk as the shared server, and a clone B; each note a file of
/// its own, recorded with one `git add` and one `git commit`.
final class GitPeers {
    let git: CommandTimer
    let aPath: String
    let bPath: String
    let serverPath: String

    /// The first `git` on `PATH`.
    static func findGit() -> String? {
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return folders.map { "\($0)/git" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The text of note `index`, the same on both sides.
    static func noteText(_ index: Int) -> String {
        let phrases = [
            "这一段的数据口径需要再核实", "与上一年度的报告相比变化明显", "建议补充具体的实施细则和时间表",
            "引用的文件编号与附件不一致", "请相关部门在下次会议前书面回复", "表述过于笼统，缺少可考核的指标",
        ]
        return "批注 #\(index + 1)：" + phrases[index % phrases.count] + "；" + phrases[(index / phrases.count) % phrases.count] + "。"
    }

    /// Makes A with the seed files committed, pushes it to a new bare repository, and clones that as B (untimed).
    init(folder: String, seeds: [SeedFile], git: CommandTimer) throws {
        self.git = git
        aPath = folder + "/a"
        bPath = folder + "/b"
        serverPath = folder + "/server.git"
        try FileManager.default.createDirectory(atPath: aPath + "/reports", withIntermediateDirectories: true)
        _ = try git.run(["init", "-q", "-b", "main", aPath])
        try configure(aPath)
        for seed in seeds { try seed.data.write(to: URL(fileURLWithPath: aPath + "/reports/" + seed.name)) }
        _ = try git.run(["-C", aPath, "add", "reports"])
        _ = try git.run(["-C", aPath, "commit", "-q", "-m", "Seed reports"])
        _ = try git.run(["init", "-q", "--bare", "-b", "main", serverPath])
        _ = try git.run(["-C", aPath, "remote", "add", "origin", serverPath])
        _ = try git.run(["-C", aPath, "push", "-q", "-u", "origin", "main"])
        _ = try git.run(["clone", "-q", serverPath, bPath])
        try configure(bPath)
    }

    /// An author for commits, and `git pull` told to merge (it asks otherwise once branches diverge).
    private func configure(_ path: String) throws {
        for (key, value) in [("user.name", "bench"), ("user.email", "bench@example.invalid"), ("pull.rebase", "false"),
            ("commit.gpgsign", "false")]
        {
            _ = try git.run(["-C", path, "config", key, value])
        }
    }

    /// Writes note `index` to `notes/<report>/<index>.md` in A (untimed), then `git add` + `git commit` (timed).
    func commitNote(_ index: Int, on reference: String, text: String) throws -> Sample {
        let report = reference.split(separator: "/").first.map(String.init) ?? "notes"
        let relative = "notes/\(report)/" + String(format: "%05d.md", index + 1)
        try FileManager.default.createDirectory(atPath: aPath + "/notes/" + report, withIntermediateDirectories: true)
        try Data("\(reference)\n\n\(text)\n".utf8).write(to: URL(fileURLWithPath: aPath + "/" + relative))
        let add = try git.run(["-C", aPath, "add", relative]).elapsed
        let commit = try git.run(["-C", aPath, "commit", "-q", "-m", "Note on \(reference)"]).elapsed
        return Sample(wall: add.wall + commit.wall, cpu: add.cpu + commit.cpu)
    }

    /// `git push` from A or B to the bare repository, timed.
    func push(from peer: PeerSide) throws -> Sample {
        try git.run(["-C", peer == .a ? aPath : bPath, "push", "-q"]).elapsed
    }

    /// `git pull` into A or B from the bare repository, timed.
    func pull(into peer: PeerSide) throws -> Sample {
        try git.run(["-C", peer == .a ? aPath : bPath, "pull", "-q"]).elapsed
    }

    /// Copies A, the bare repository and B into `folder`, `spares` times, to be renamed into place (see
    /// ``FolderSnapshot/Restoring``).
    func snapshot(into folder: String, spares: Int) throws -> [FolderSnapshot] {
        try [aPath, serverPath, bPath].map { path in
            try FolderSnapshot(
                of: path, into: folder + "/" + (path as NSString).lastPathComponent, restoring: .fromSpareCopies(spares))
        }
    }

    /// Puts A, the bare repository and B back as `snapshot` copied them.
    func restore(_ snapshot: [FolderSnapshot]) throws {
        for copy in snapshot { try copy.restore() }
    }

    /// How many note files A's or B's working tree holds.
    func noteFiles(in peer: PeerSide) throws -> Int {
        let notes = (peer == .a ? aPath : bPath) + "/notes"
        guard let walker = FileManager.default.enumerator(atPath: notes) else { return 0 }
        return walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".md") }.count
    }
}
