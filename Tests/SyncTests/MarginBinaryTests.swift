import Foundation
import MarginStore
import Testing

/// The built `margin` executable end to end: `margin serve --port 0`, two stores syncing through it with the
/// CLI, then the server is stopped with SIGTERM.
@Suite struct MarginBinaryTests {
    /// The `margin` built alongside this test bundle, else the newest one under the package's build folders.
    static func marginExecutable() -> URL? {
        let fileManager = FileManager.default
        var candidates: [URL] = []
        let bundleFolder = Bundle.main.bundleURL.deletingLastPathComponent()
        candidates.append(bundleFolder.appendingPathComponent("margin"))
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("margin"))
        let root = SyncTestSupport.packageRoot
        for entry in (try? fileManager.contentsOfDirectory(atPath: root.path)) ?? [] where entry.hasPrefix(".build") {
            candidates.append(root.appendingPathComponent("\(entry)/debug/margin"))
        }
        let existing = candidates.filter { fileManager.isExecutableFile(atPath: $0.path) }
        return existing.first
    }

    /// Runs `margin` to completion and returns its exit status and standard output.
    static func run(_ executable: URL, _ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    /// Starts `margin serve --port 0` on a store with the token `t0ken`, and returns the process and the URL it
    /// announced on its first line of output.
    static func serve(_ margin: URL, store: String) throws -> (Process, String) {
        let (server, line) = try launch(
            margin, ["serve", "--store", store, "--host", "127.0.0.1", "--port", "0", "--token", "t0ken"])
        #expect(line.hasPrefix("listening on http://127.0.0.1:"), "server said: \(line)")
        return (server, String(try #require(line.split(separator: " ").last)))
    }

    /// Starts `margin` with `arguments` (a `serve`) and returns the process and the first line it prints, which
    /// says where it listens.
    static func launch(_ margin: URL, _ arguments: [String]) throws -> (Process, String) {
        let server = Process()
        server.executableURL = margin
        server.arguments = arguments
        let output = Pipe()
        server.standardOutput = output
        server.standardError = FileHandle.nullDevice
        try server.run()
        var firstLine = Data()
        while !firstLine.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            firstLine.append(chunk)
        }
        let line = String(decoding: firstLine, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return (server, line)
    }

    @Test func serveAndSyncThroughTheBinary() async throws {
        guard let margin = Self.marginExecutable() else {
            Issue.record("No built `margin` executable found; run `swift build` before `swift test`.")
            return
        }
        let hubPath = SyncTestSupport.temporaryFolder("hub")
        let bobPath = SyncTestSupport.temporaryFolder("bob")
        _ = try MarginStore.create(at: hubPath, author: "hub")
        let alice = try SyncTestSupport.seededStore(author: "alice", files: 1)
        _ = try MarginStore.create(at: bobPath, author: "bob")

        let (server, url) = try Self.serve(margin, store: hubPath)
        defer { if server.isRunning { server.terminate() } }

        for (path, name) in [(alice.path, "alice"), (bobPath, "bob")] {
            let added = try Self.run(margin, ["remote", "add", "hub", url, "--token", "t0ken", "--store", path])
            #expect(added.status == 0, "\(name): \(added.errors)")
        }
        let pushed = try Self.run(margin, ["sync", "--store", alice.path, "--json"])
        #expect(pushed.status == 0, "\(pushed.errors)")
        let pulled = try Self.run(margin, ["sync", "hub", "--store", bobPath, "--json"])
        #expect(pulled.status == 0, "\(pulled.errors)")

        struct Summary: Decodable {
            var sent: Int
            var received: Int
            var openConflicts: Int
        }
        let aliceSummary = try JSONDecoder().decode(Summary.self, from: Data(pushed.output.utf8))
        let bobSummary = try JSONDecoder().decode(Summary.self, from: Data(pulled.output.utf8))
        #expect(aliceSummary.sent > 0)
        #expect(bobSummary.received == aliceSummary.sent)
        #expect(bobSummary.openConflicts == 0)

        let status = try Self.run(margin, ["status", "--store", bobPath, "--json"])
        #expect(status.status == 0)
        #expect(status.output.contains("\"notPushed\" : 0"))

        let bob = try MarginStore.open(at: bobPath)
        #expect(try bob.reports().map(\.id) == alice.reports().map(\.id))

        server.terminate()
        server.waitUntilExit()
        // SIGTERM is a graceful shutdown: the server finishes and exits normally.
        #expect(server.terminationReason == .exit && server.terminationStatus == 0)
        let hub = try MarginStore.open(at: hubPath)
        try SyncTestSupport.expectSound(hub, bob, alice)
    }
}
