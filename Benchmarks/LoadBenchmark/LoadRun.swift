import Foundation
import MarginCore
import MarginStore

/// One backend under load: its server, its readers, its rounds.
struct LoadRun {
    let backend: LoadBackend
    let margin: URL
    let seed: URL
    let options: LoadOptions

    /// The remote name every reader uses.
    static let remote = "load"

    func run() async throws -> LoadOutcome {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("margin-load-\(backend.rawValue)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // The replica run serves a database of its own, on the primary and on its standby.
        let standby = backend == .replica
            ? options.database.flatMap { primary in options.replica.map { ReplicaDatabase(primary: primary, replica: $0) } }
            : nil
        let databases = try await standby?.make()
        let server = try LoadServer.start(
            backend, margin: margin, folder: folder, database: databases?.primary ?? options.database,
            replica: databases?.replica)
        defer { server.stop() }

        // Readers: reader 0 imports a seed report and shares it; the others pull it (untimed).
        let readers = try (0..<options.clients).map { index in
            try MarginStore.create(at: folder.appendingPathComponent("reader\(index)").path, author: "reader\(index)")
        }
        for reader in readers { try reader.addRemote(name: Self.remote, url: server.url, token: nil) }
        _ = try readers[0].importReports(from: try Data(contentsOf: seed), fileName: seed.lastPathComponent)
        var warmUpErrors = try await syncAll([readers[0]]).errors
        try await standby?.waitForReplay()
        warmUpErrors += try await syncAll(Array(readers.dropFirst())).errors
        guard warmUpErrors.isEmpty else {
            return LoadOutcome(
                backend: backend, latencies: [], errors: warmUpErrors.map { "warm-up: \($0)" }, seconds: 0,
                serverCPU: server.cpuSeconds(), converged: false)
        }
        let sections = try readers.map(Self.firstSection)

        var latencies: [Double] = []
        var errors: [String] = []
        let started = Date()
        for round in 0..<options.rounds {
            for (index, reader) in readers.enumerated() {
                _ = try reader.addAnnotation(on: sections[index], text: "round \(round) by reader \(index)")
            }
            let result = try await syncAll(readers)
            latencies += result.latencies
            errors += result.errors.map { "round \(round): \($0)" }
        }
        let seconds = Date().timeIntervalSince(started)

        // Settle: one reader after another, then every reader must hold every note.
        for _ in 0..<2 {
            try await standby?.waitForReplay()
            for reader in readers { errors += try await syncAll([reader]).errors.map { "settling: \($0)" } }
        }
        let expected = options.clients * options.rounds
        let converged = try readers.allSatisfy { try $0.notes().total == expected }
        return LoadOutcome(
            backend: backend, latencies: latencies, errors: errors, seconds: seconds, serverCPU: server.cpuSeconds(),
            converged: converged)
    }

    /// Starts `margin sync` for every reader at once and waits for all; each one's wall time, or why it failed.
    func syncAll(_ readers: [MarginStore]) async throws -> (latencies: [Double], errors: [String]) {
        let processes = try readers.map { reader in
            try TimedProcess(margin, ["sync", Self.remote, "--store", reader.path])
        }
        var latencies: [Double] = []
        var errors: [String] = []
        for process in processes {
            let ended = await process.ended()
            if ended.status == 0 {
                latencies.append(ended.milliseconds)
            } else {
                errors.append("exit \(ended.status): \(ended.errors.trimmingCharacters(in: .whitespacesAndNewlines))")
            }
        }
        return (latencies, errors)
    }

    /// The first numbered section of the store's report, e.g. `3f9a/1`.
    static func firstSection(_ store: MarginStore) throws -> String {
        guard let report = try store.reports().first else { throw LoadOptions.UsageError(description: "a reader has no report") }
        let outline = try store.outline(of: report.shortID)
        guard let section = outline.sections.first(where: { $0.level > 0 }) ?? outline.sections.first else {
            throw LoadOptions.UsageError(description: "the seed report has no section")
        }
        return section.reference
    }
}

/// A process started now, whose end is noted the moment it exits (not when someone gets round to waiting for it).
final class TimedProcess: @unchecked Sendable {
    private let process = Process()
    private let errorFile: URL
    private let started = Date()
    private let lock = NSLock()
    private var end: Date?
    private var waiter: CheckedContinuation<Void, Never>?

    init(_ executable: URL, _ arguments: [String]) throws {
        errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("margin-load-\(UUID().uuidString).err")
        FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: errorFile)
        process.terminationHandler = { [weak self] _ in self?.noteEnd() }
        try process.run()
    }

    private func noteEnd() {
        let continuation: CheckedContinuation<Void, Never>? = lock.withLock {
            end = Date()
            defer { waiter = nil }
            return waiter
        }
        continuation?.resume()
    }

    /// Waits for the end; the exit status, the wall time in milliseconds, and standard error.
    func ended() async -> (status: Int32, milliseconds: Double, errors: String) {
        await withCheckedContinuation { continuation in
            let done = lock.withLock {
                if end == nil { waiter = continuation }
                return end != nil
            }
            if done { continuation.resume() }
        }
        process.waitUntilExit()
        let errors = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: errorFile)
        let milliseconds = lock.withLock { (end ?? Date()).timeIntervalSince(started) * 1000 }
        return (process.terminationStatus, milliseconds, errors)
    }
}
