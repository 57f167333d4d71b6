import Foundation
import MarginStore
import SyncProtocol
import Testing

/// The limits through the built `margin serve`, where a test can send signals and read the process's peak memory:
/// shutdown with a stalled client, and peak memory under one and eight concurrent 16 MiB pushes.
@Suite(.serialized) struct ServerLimitsBinaryTests {
    /// Starts `margin serve --port 0` on a new open store with `arguments` added, and returns the process and port.
    static func serve(_ margin: URL, _ arguments: [String]) throws -> (Process, Int) {
        let store = SyncTestSupport.temporaryFolder("limits-hub")
        _ = try MarginStore.create(at: store, author: "hub")
        let (server, line) = try MarginBinaryTests.launch(
            margin, ["serve", "--store", store, "--host", "127.0.0.1", "--port", "0"] + arguments)
        let port = try #require(line.split(separator: ":").last.flatMap { Int($0) }, "server said: \(line)")
        return (server, port)
    }

    /// The process's peak resident memory in bytes (`VmHWM` in `/proc/PID/status`), or nil where there is no `/proc`.
    static func peakMemory(of process: Process) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = Int(line.split(separator: " ").dropFirst().first { !$0.isEmpty } ?? "")
        else { return nil }
        return kilobytes * 1024
    }

    static func megabytes(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1_000_000) }

    /// Through the built binary: a server in this test process would answer its health check from the same
    /// cooperative thread pool that the suite's long synchronous tests occupy, and could miss it for that alone.
    @Test func twoHundredUnfinishedHeadsAreClosedAfterTheHeaderTimeoutWhileHealthIsAnswered() async throws {
        guard let margin = MarginBinaryTests.marginExecutable() else {
            Issue.record("No built `margin` executable found; run `swift build` before `swift test`.")
            return
        }
        let (server, port) = try Self.serve(margin, ["--header-timeout", "1"])
        defer {
            if server.isRunning {
                kill(server.processIdentifier, SIGTERM)
                server.waitUntilExit()
            }
        }
        var connections: [RawHTTPConnection] = []
        for _ in 0..<200 {
            let connection = try RawHTTPConnection(port: port)
            #expect(connection.send("POST /v1/sync HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: appl"))
            connections.append(connection)
        }
        // The probe landed: the last head is unfinished and its connection still open.
        #expect(!ServerLimitsTests.isClosed(try #require(connections.last).readUntilClosed(within: 0.1)))
        #expect(RawHTTPConnection.healthStatus(port: port) == 200)
        let started = Date()
        let closed = connections.filter { ServerLimitsTests.isClosed($0.readUntilClosed(within: 1 + ServerLimitsTests.margin)) }.count
        print("unfinished heads: \(closed) of 200 closed by the server within \(String(format: "%.1f", Date().timeIntervalSince(started))) s (header timeout 1 s)")
        #expect(closed == 200)
        #expect(RawHTTPConnection.healthStatus(port: port) == 200)
    }

    @Test func shutdownWithAStalledBodyFinishesWithinTheShutdownTimeout() async throws {
        guard let margin = MarginBinaryTests.marginExecutable() else {
            Issue.record("No built `margin` executable found; run `swift build` before `swift test`.")
            return
        }
        // The body may pause for a minute, so only the shutdown timeout (1 s) can end the stalled request.
        let (server, port) = try Self.serve(margin, ["--shutdown-timeout", "1", "--body-timeout", "60", "--min-body-rate", "1"])
        defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) } }
        let stalled = try RawHTTPConnection(port: port)
        #expect(stalled.send("POST /v1/revisions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"protocol\":2,"))
        // The probe landed: the request is in the server, unanswered and open.
        #expect(stalled.readUntilClosed(within: 0.5) == .open(bytes: []))

        let started = Date()
        kill(server.processIdentifier, SIGTERM)
        while server.isRunning, Date().timeIntervalSince(started) < 30 { try await Task.sleep(for: .milliseconds(50)) }
        let seconds = Date().timeIntervalSince(started)
        print("SIGTERM with a stalled body: the server exited after \(String(format: "%.1f", seconds)) s (shutdown timeout 1 s)")
        #expect(!server.isRunning)
        if !server.isRunning { #expect(server.terminationStatus == 0) }
        if case .open = stalled.readUntilClosed(within: 1) { Issue.record("the stalled connection is still open") }
    }

    /// A push page of about `bytes` of small, well-formed revisions whose ids do not match their content, so the
    /// server decodes the whole page and then refuses it (422) without storing anything.
    static func largePush(bytes: Int) -> [UInt8] {
        var body = Array(#"{"protocol":2,"from":"a1b2c3d4e5f60718","revisions":["#.utf8)
        var counter = 0
        let text = String(repeating: "本学期组织教研活动十二次。", count: 8)
        while body.count < bytes - 1024 {
            counter += 1
            let hex32 = String(format: "%032x", counter)
            let revision = """
                {"author":"李伟","body":"{\\"deleted\\":false,\\"report\\":\\"\(hex32)\\",\\"section\\":\\"\(hex32)\\",\\"text\\":\\"\(text)\\"}",\
                "clock":\(counter),"counter":\(counter),"createdAt":\(1_732_500_000_000 + counter),\
                "id":"\(String(format: "%064x", counter))","kind":"annotation","origin":"a1b2c3d4e5f60718","parents":[],\
                "record":"\(hex32)"}
                """
            if counter > 1 { body.append(UInt8(ascii: ",")) }
            body += Array(revision.utf8)
        }
        return body + Array("]}".utf8)
    }

    /// Sends `body` as a push, retrying while the server answers 503 (after its `Retry-After`); returns the final status.
    static func push(_ body: [UInt8], port: Int) -> (status: Int?, busyAnswers: Int) {
        var busy = 0
        for _ in 0..<60 {
            guard let connection = try? RawHTTPConnection(port: port) else { return (nil, busy) }
            connection.send(RawHTTPConnection.post(SyncEndpoint.revisions, body: body))
            guard let response = connection.readResponse(within: 120) else { return (nil, busy) }
            guard response.status == 503 else { return (response.status, busy) }
            busy += 1
            sleep(UInt32(response.header("Retry-After").flatMap(UInt32.init) ?? 1))
        }
        return (503, busy)
    }

    /// Runs `work` on `count` threads of its own at once (blocking socket calls, not tasks of the shared pool).
    static func onThreads<T: Sendable>(_ count: Int, _ work: @escaping @Sendable () -> T) async -> [T] {
        let results = ResultBox<T>()
        let group = DispatchGroup()
        for _ in 0..<count {
            group.enter()
            Thread {
                results.append(work())
                group.leave()
            }.start()
        }
        await withCheckedContinuation { continuation in group.notify(queue: .global()) { continuation.resume() } }
        return results.values
    }

    @Test func peakMemoryStaysUnder150MBWithEightConcurrent16MiBPushes() async throws {
        guard let margin = MarginBinaryTests.marginExecutable() else {
            Issue.record("No built `margin` executable found; run `swift build` before `swift test`.")
            return
        }
        let (server, port) = try Self.serve(margin, [])
        defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) } }
        let body = Self.largePush(bytes: SyncPaging.defaultMaxBodyBytes - 64 * 1024)
        let idle = try #require(Self.peakMemory(of: server))

        // One 16 MiB push reaches the decoder and the validator: a 422 names the first revision.
        let one = Self.push(body, port: port)
        #expect(one.status == 422)
        let afterOne = try #require(Self.peakMemory(of: server))

        // Eight at once: the body budget lets one body into memory at a time, the others retry after a 503.
        let results = await Self.onThreads(8) { Self.push(body, port: port) }
        let afterEight = try #require(Self.peakMemory(of: server))
        print("""
            peak memory of margin serve: idle \(Self.megabytes(idle)); after one \(Self.megabytes(body.count)) push \
            \(Self.megabytes(afterOne)); after 8 concurrent \(Self.megabytes(afterEight)) \
            (statuses \(results.map { $0.status.map(String.init) ?? "none" }.sorted()), \
            \(results.map(\.busyAnswers).reduce(0, +)) busy answers retried)
            """)
        #expect(results.allSatisfy { $0.status == 422 })
        #expect(afterEight < 150_000_000)
    }
}

/// Results gathered from several threads.
final class ResultBox<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [T] = []

    func append(_ value: T) { lock.withLock { stored.append(value) } }

    var values: [T] { lock.withLock { stored } }
}
