import Foundation
import MarginCore
import MarginStore
import PostgresTestSupport
import SyncProtocol
import Testing

/// `margin serve --database` while PostgreSQL goes away and comes back (a relay in front of it is cut, then
/// restored): requests are answered 503 with `Retry-After`, a `margin sync` fails saying why and changes nothing, and
/// once the database is back the same sync goes through.
@Suite struct DatabaseLossBinaryTests {
    /// A pull of everything, as the protocol's example sends it.
    static let pullBody = Array(#"{"protocol":2,"have":{},"limit":500,"maxBytes":4194304}"#.utf8)

    /// POSTs a pull to the server on `port` and reads the answer; nil when none came within `seconds`.
    static func pull(port: Int, within seconds: Double) throws -> RawHTTPResponse? {
        let connection = try RawHTTPConnection(port: port)
        guard connection.send(RawHTTPConnection.post(SyncEndpoint.sync, body: pullBody)) else { return nil }
        return connection.readResponse(within: seconds)
    }

    @Test func aDatabaseThatGoesAwayIsAnswered503AndTheServerServesAgainWhenItIsBack() async throws {
        let margin = try #require(MarginBinaryTests.marginExecutable(), "run `swift build` before `swift test`")
        try await TestPostgres.withDatabase { database in
            let (proxy, relayed) = try CuttableProxy.inFront(of: database)
            defer { proxy.stop() }
            let (server, line) = try MarginBinaryTests.launch(
                margin, ["serve", "--database", relayed, "--database-wait", "2", "--host", "127.0.0.1", "--port", "0"])
            let url = String(try #require(line.split(separator: " ").last, "server said: \(line)"))
            defer { if server.isRunning { server.terminate() } }
            let port = try #require(URLComponents(string: url)?.port, "\(url)")
            #expect(try Self.pull(port: port, within: 30)?.status == 200)

            let store = try SyncTestSupport.seededStore(author: "reader", files: 1)
            let remote = try MarginBinaryTests.run(margin, ["remote", "add", "hub", url, "--store", store.path])
            #expect(remote.status == 0, "\(remote.errors)")
            let before = try store.versionVector()

            // The fault landed: the server's connections to PostgreSQL were ended, and its new ones are refused.
            #expect(proxy.cut() >= 1)
            // Answered within the server's wait for a connection (`--database-wait 2`), not after the pool gives up
            // connecting (a minute):
            // the 40 s here only keeps a hung server from hanging the test.
            let answer = try #require(try Self.pull(port: port, within: 40), "no answer while the database was away")
            #expect(answer.status == 503)
            #expect(answer.header("Retry-After") == "5")
            #expect(answer.body.contains(#""code":"unavailable""#), "\(answer.body)")
            #expect(answer.body.contains("PostgreSQL cannot be reached now"), "\(answer.body)")
            // Where the database is, and why it cannot be reached, are the server's own business.
            #expect(!answer.body.contains(String(proxy.port)) && !answer.body.contains("PSQLError"), "\(answer.body)")

            let failed = try MarginBinaryTests.run(margin, ["sync", "hub", "--store", store.path])
            #expect(failed.status == 1, "\(failed.output) \(failed.errors)")
            #expect(failed.errors.contains("PostgreSQL cannot be reached now"), "\(failed.errors)")
            #expect(try store.versionVector() == before, "the failed sync changed the store")
            #expect(proxy.counts.refused >= 1, "the server tried to connect again while the database was away")

            // Back: the server connects again on its own (after its pool's backoff); a sync then goes through.
            proxy.restore()
            var status: Int?
            for _ in 0..<60 where status != 200 {
                status = try Self.pull(port: port, within: 40)?.status
                if status != 200 { try await Task.sleep(for: .milliseconds(250)) }
            }
            #expect(status == 200, "the server did not serve again in 60 attempts")
            let synced = try MarginBinaryTests.run(margin, ["sync", "hub", "--store", store.path])
            #expect(synced.status == 0, "\(synced.errors)")
            let fresh = SyncTestSupport.temporaryFolder("after-loss")
            _ = try MarginStore.create(at: fresh, author: "newcomer")
            #expect(try MarginBinaryTests.run(margin, ["remote", "add", "hub", url, "--store", fresh]).status == 0)
            let pulled = try MarginBinaryTests.run(margin, ["sync", "hub", "--store", fresh, "--pull-only"])
            #expect(pulled.status == 0, "\(pulled.errors)")
            let newcomer = try MarginStore.open(at: fresh)
            var received = try newcomer.versionVector()
            received[newcomer.peer.id] = nil
            #expect(received == (try store.versionVector()), "what the reader pushed after the loss reached a new store")
        }
    }
}
