import Foundation
import SyncProtocol
@testable import SyncServer
import Testing

/// The server's limits against clients that misbehave on purpose, through raw sockets on 127.0.0.1: unfinished heads,
/// trickled and unterminated bodies, too many connections, requests and bodies at once, and oversized vectors. The
/// limits are set small (1 s) so that each probe ends quickly; every wait has a bound well above the limit. The server
/// is the built `margin serve`, started with the limits as flags.
@Suite(.serialized) struct ServerLimitsTests {
    /// Seconds allowed beyond a configured timeout before a probe counts as not dropped.
    static let margin = 10.0

    static func limits(
        headerTimeout: Duration = .seconds(1), bodyTimeout: Duration = .seconds(1), idleTimeout: Duration = .seconds(30),
        maxConnections: Int = 512, maxConcurrentRequests: Int = 64, maxBodyBytesInFlight: Int = 16 * 1024 * 1024
    ) -> SyncServerLimits {
        SyncServerLimits(
            headerTimeout: headerTimeout, bodyTimeout: bodyTimeout, minimumBodyBytesPerSecond: 1024,
            idleTimeout: idleTimeout, maxConnections: maxConnections, maxConcurrentRequests: maxConcurrentRequests,
            maxBodyBytesInFlight: maxBodyBytesInFlight, shutdownTimeout: .seconds(1))
    }

    /// The `margin serve` flags that set `limits`.
    static func arguments(_ limits: SyncServerLimits) -> [String] {
        func seconds(_ duration: Duration) -> String {
            String(Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
        }
        return [
            "--header-timeout", seconds(limits.headerTimeout), "--body-timeout", seconds(limits.bodyTimeout),
            "--min-body-rate", String(limits.minimumBodyBytesPerSecond), "--idle-timeout", seconds(limits.idleTimeout),
            "--max-connections", String(limits.maxConnections), "--max-requests", String(limits.maxConcurrentRequests),
            "--max-body-bytes-in-flight", String(limits.maxBodyBytesInFlight),
            "--max-vector-entries", String(limits.maxVectorEntries), "--shutdown-timeout", seconds(limits.shutdownTimeout),
        ]
    }

    /// Runs `body` against the built `margin serve` on an open store with `limits`, then stops the server.
    ///
    /// Out of process on purpose: a server in this test process answers from the same cooperative thread pool that
    /// the suite's blocking socket reads and long synchronous tests occupy, and on a two-core machine it missed a
    /// 10 s bound for that alone (an idle kept-alive connection was never answered, so never idle).
    static func withServer(_ limits: SyncServerLimits, _ body: (Int) async throws -> Void) async throws {
        guard let margin = MarginBinaryTests.marginExecutable() else {
            Issue.record("No built `margin` executable found; run `swift build` before `swift test`.")
            return
        }
        let (server, port) = try ServerLimitsBinaryTests.serve(margin, arguments(limits))
        defer {
            if server.isRunning {
                kill(server.processIdentifier, SIGKILL)
                server.waitUntilExit()
            }
        }
        try await body(port)
    }

    static func isClosed(_ outcome: RawHTTPConnection.Outcome) -> Bool {
        if case .closed = outcome { return true }
        return false
    }

    // MARK: - Time limits

    @Test func aBodyTrickledAtOneBytePerSecondIsDropped() async throws {
        try await Self.withServer(Self.limits()) { port in
            let connection = try RawHTTPConnection(port: port)
            #expect(connection.send("POST /v1/revisions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 4096\r\n\r\n"))
            let started = Date()
            var sent = 0
            var outcome = RawHTTPConnection.Outcome.open(bytes: [])
            // One byte, then a second's wait for the server to close, until it does or the bound passes.
            while Date().timeIntervalSince(started) < 2 + Self.margin {
                guard connection.send("{") else { outcome = .closed(bytes: []); break }
                sent += 1
                outcome = connection.readUntilClosed(within: 1)
                if Self.isClosed(outcome) { break }
            }
            let seconds = Date().timeIntervalSince(started)
            print("1 byte/s body: dropped after \(sent) byte(s), \(String(format: "%.1f", seconds)) s (body timeout 1 s, minimum 1024 B/s)")
            #expect(sent >= 1)
            #expect(Self.isClosed(outcome))
        }
    }

    @Test func anUnterminatedChunkedBodyIsAnsweredOrClosed() async throws {
        try await Self.withServer(Self.limits()) { port in
            let connection = try RawHTTPConnection(port: port)
            #expect(connection.send("POST /v1/sync HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"pro\r\n"))
            let started = Date()
            let outcome = connection.readUntilClosed(within: 1 + Self.margin)
            print("unterminated chunked body: \(outcome == .open(bytes: []) ? "still open" : "closed") after \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
            #expect(Self.isClosed(outcome))
        }
    }

    @Test func anIdleKeptAliveConnectionIsClosedAfterTheIdleTimeout() async throws {
        try await Self.withServer(Self.limits(idleTimeout: .seconds(1))) { port in
            let connection = try RawHTTPConnection(port: port)
            #expect(connection.send(RawHTTPConnection.healthRequest))
            #expect(connection.readResponse(within: Self.margin)?.status == 200)
            #expect(Self.isClosed(connection.readUntilClosed(within: 1 + Self.margin)))
        }
    }

    // MARK: - Connections, requests and bodies at once

    @Test func aConnectionBeyondTheLimitIsRefusedWhileOpenOnesAreAnswered() async throws {
        try await Self.withServer(Self.limits(headerTimeout: .seconds(30), maxConnections: 4)) { port in
            let kept = try RawHTTPConnection(port: port)
            #expect(kept.send(RawHTTPConnection.healthRequest))
            #expect(kept.readResponse(within: Self.margin)?.status == 200)
            let idle = try (0..<3).map { _ in try RawHTTPConnection(port: port) }
            #expect(!Self.isClosed(idle[2].readUntilClosed(within: 0.2)))

            let excess = try RawHTTPConnection(port: port)
            let refused = excess.readUntilClosed(within: Self.margin)
            #expect(Self.isClosed(refused))
            if case let .closed(bytes) = refused, !bytes.isEmpty {
                let answer = try #require(RawHTTPResponse(parsing: bytes))
                #expect(answer.status == 503)
                #expect(answer.header("Retry-After") == "1")
            }
            // The connection already open is still answered.
            #expect(kept.send(RawHTTPConnection.healthRequest))
            #expect(kept.readResponse(within: Self.margin)?.status == 200)

            // Once one closes, a new connection is served again.
            // shutdown, not close: the socket is closed once, by its deinit (a second close could hit a descriptor the
            // server in this process has been given since).
            _ = shutdown(idle[0].socket, Int32(SHUT_RDWR))
            var status: Int?
            for _ in 0..<50 where status != 200 {
                status = RawHTTPConnection.healthStatus(port: port, within: 1)
                if status != 200 { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(status == 200)
            _ = idle
        }
    }

    /// Opens a connection that sends `holding` (a head and part of its body, then nothing), and sends `request` on new
    /// connections until one is answered 503 while the holding one is still waiting; returns that answer and the
    /// holding connection. A holding request that lost the race to a probe (and was answered itself) is sent again.
    static func busyAnswer(
        port: Int, holding: String, request: [UInt8]
    ) async throws -> (answer: RawHTTPResponse, holder: RawHTTPConnection)? {
        for _ in 0..<5 {
            let holder = try RawHTTPConnection(port: port)
            holder.send(holding)
            guard holder.readUntilClosed(within: 0.3) == .open(bytes: []) else { continue }
            for _ in 0..<20 {
                let connection = try RawHTTPConnection(port: port)
                connection.send(request)
                if let response = connection.readResponse(within: Self.margin), response.status == 503 {
                    return (response, holder)
                }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        return nil
    }

    @Test func aRequestBeyondTheConcurrentLimitIsAnswered503WithRetryAfter() async throws {
        try await Self.withServer(Self.limits(bodyTimeout: .seconds(30), maxConcurrentRequests: 1)) { port in
            // One push whose body stalls holds the only request slot.
            let holding = "POST /v1/revisions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"protocol\""
            let pull = RawHTTPConnection.post(SyncEndpoint.sync, body: Array(#"{"protocol":2,"have":{}}"#.utf8))
            let (busy, holder) = try #require(try await Self.busyAnswer(port: port, holding: holding, request: pull))
            #expect(busy.header("Retry-After") == "1")
            #expect(busy.body.contains("\"unavailable\""))
            print("requests in flight: \(busy.status) \(busy.body)")
            #expect(RawHTTPConnection.healthStatus(port: port) == 200)
            #expect(holder.readUntilClosed(within: 0.1) == .open(bytes: []))
        }
    }

    @Test func aBodyBeyondTheInFlightBudgetIsAnswered503WithRetryAfter() async throws {
        try await Self.withServer(Self.limits(bodyTimeout: .seconds(30), maxBodyBytesInFlight: 40_000)) { port in
            let holding = "POST /v1/revisions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 30000\r\n\r\n{\"protocol\""
            let push = RawHTTPConnection.post(
                SyncEndpoint.revisions, body: Array(#"{"protocol":2,"from":"a1b2c3d4e5f60718","revisions":[]}"#.utf8) + Array(repeating: UInt8(ascii: " "), count: 20_000))
            let (busy, holder) = try #require(try await Self.busyAnswer(port: port, holding: holding, request: push))
            #expect(busy.header("Retry-After") == "1")
            #expect(busy.body.contains("40000 bytes of request bodies"))
            print("bodies in flight: \(busy.status) \(busy.body)")
            // A pull request, small, is still served meanwhile.
            let pull = try RawHTTPConnection(port: port)
            pull.send(RawHTTPConnection.post(SyncEndpoint.sync, body: Array(#"{"protocol":2,"have":{}}"#.utf8)))
            #expect(pull.readResponse(within: Self.margin)?.status == 200)
            #expect(holder.readUntilClosed(within: 0.1) == .open(bytes: []))
        }
    }

    // MARK: - Sizes

    static func vectorRequest(entries: Int) -> [UInt8] {
        var text = #"{"protocol":2,"limit":0,"have":{"#
        for index in 1...entries {
            text += (index == 1 ? "" : ",") + "\"\(String(format: "%016x", index))\":\(index)"
        }
        return Array((text + "}}").utf8)
    }

    @Test func aVectorBeyondTheEntryLimitIsRefused400NamingTheLimit() async throws {
        try await Self.withServer(SyncServerLimits(maxVectorEntries: 1000)) { port in
            let atLimit = try RawHTTPConnection(port: port)
            atLimit.send(RawHTTPConnection.post(SyncEndpoint.sync, body: Self.vectorRequest(entries: 1000)))
            #expect(atLimit.readResponse(within: Self.margin)?.status == 200)

            let over = try RawHTTPConnection(port: port)
            over.send(RawHTTPConnection.post(SyncEndpoint.sync, body: Self.vectorRequest(entries: 1001)))
            let refused = try #require(over.readResponse(within: Self.margin))
            #expect(refused.status == 400)
            #expect(refused.body.contains("limit of 1000"), "\(refused.body)")

            // Far beyond: the body alone is more than a sync request may be.
            let huge = try RawHTTPConnection(port: port)
            huge.send(RawHTTPConnection.post(SyncEndpoint.sync, body: Self.vectorRequest(entries: 100_000)))
            let tooLarge = try #require(huge.readResponse(within: Self.margin))
            #expect(tooLarge.status == 413)
            #expect(tooLarge.body.contains("vector of up to 1000 origins"), "\(tooLarge.body)")
        }
    }

    @Test func aBodyDenserInValuesThanAnyMessageIsRefusedBeforeDecoding() async throws {
        try await Self.withServer(Self.limits()) { port in
            var body = Array(#"{"protocol":2,"from":"a1b2c3d4e5f60718","revisions":[],"junk":["#.utf8)
            for _ in 0..<100_000 { body += Array("1,".utf8) }
            body += Array("1]}".utf8)
            let connection = try RawHTTPConnection(port: port)
            connection.send(RawHTTPConnection.post(SyncEndpoint.revisions, body: body))
            let refused = try #require(connection.readResponse(within: Self.margin))
            #expect(refused.status == 400)
            #expect(refused.body.contains("far more JSON values"), "\(refused.body)")
        }
    }

    @Test func aLargePageOfTheProtocolExampleRevisionsIsPlausiblyDense() throws {
        let example = try Data(contentsOf: SyncTestSupport.examples.appendingPathComponent("03-push.request.json"))
        var page = try SyncCoding.decode(PushRequest.self, from: example)
        page.revisions = Array(repeating: page.revisions, count: 2000).flatMap { $0 }
        let compact = try SyncCoding.encode(page)
        compact.withUnsafeBytes { bytes in
            let values = JSONDensity.values(in: bytes)
            print("example revisions ×2000: \(bytes.count) bytes, \(values) values, \(bytes.count / values) bytes a value")
            #expect(values > page.revisions.count * 10)
            #expect(JSONDensity.isPlausible(bytes))
        }
        let dense = Array(("[" + String(repeating: "1,", count: 10_000) + "1]").utf8)
        dense.withUnsafeBytes { #expect(!JSONDensity.isPlausible($0)) }
    }

    /// The count ``JSONDensity/values(in:)`` gives, one byte at a time: the definition it is tested against.
    private static func valuesByteByByte(in bytes: UnsafeRawBufferPointer) -> Int {
        var count = 0
        var inString = false
        var escaped = false
        for byte in bytes {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
            } else {
                switch byte {
                case UInt8(ascii: "\""): inString = true
                case UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: ","), UInt8(ascii: ":"): count += 1
                default: break
                }
            }
        }
        return count
    }

    /// The scan that skips eight bytes at a time inside strings counts exactly what the byte-by-byte one counts,
    /// on random texts made of the bytes that matter (quotes and backslashes at every offset, a backslash last)
    /// and long runs of the bytes that do not.
    @Test func theWordScanCountsAsTheByteScanDoes() {
        let seed = UInt64.random(in: 1...UInt64.max)
        print("JSON density scan seed: \(seed)")
        var random = SplitMix64(state: seed)
        let pieces: [[UInt8]] = [
            Array("\"".utf8), Array("\\".utf8), Array("\\\"".utf8), Array("\\\\".utf8), Array("{".utf8), Array("[".utf8),
            Array(",".utf8), Array(":".utf8), Array("a".utf8), Array("数据口径".utf8), Array("abcdefghijklmnopq".utf8),
        ]
        for round in 0..<2_000 {
            var text: [UInt8] = []
            for _ in 0..<Int.random(in: 0...40, using: &random) {
                text += pieces[Int.random(in: 0..<pieces.count, using: &random)]
            }
            text.withUnsafeBytes { bytes in
                // Every suffix start shifts the words' alignment against the text.
                for start in 0..<min(9, bytes.count + 1) {
                    let slice = UnsafeRawBufferPointer(rebasing: bytes[start...])
                    #expect(JSONDensity.values(in: slice) == Self.valuesByteByByte(in: slice),
                        "seed \(seed), round \(round), from \(start): \(String(decoding: slice, as: UTF8.self))")
                }
            }
        }
    }
}
