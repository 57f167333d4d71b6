import Foundation
import MarginCore
import MarginStore
import SyncClient
import SyncServer
import Testing

/// Everyday sync paths that must lose nothing: every remote synced even when one fails, the largest revision a
/// person can write always fits through a server at its smallest body limit, and a busy port explained.
@Suite struct EverydaySyncTests {
    @Test("sync with no name syncs every remote, reports each, and exits 1 if any failed")
    func everyRemoteIsSynced() async throws {
        let hub = try SyncTestSupport.newStore(author: "hub")
        let locked = try SyncTestSupport.newStore(author: "locked")
        let alice = try SyncTestSupport.seededStore(author: "alice", files: 1)
        let total = try alice.versionVector().values.reduce(0, +)
        try await SyncTestSupport.withServer(locked, access: SyncAccess(writeTokens: ["secret"])) { lockedServer in
            try await SyncTestSupport.withServer(hub) { server in
                // Remotes sync in name order: the failing one comes first, so a stop at the first failure shows.
                _ = await SyncTestSupport.margin(["remote", "add", "aaa-locked", lockedServer.url, "--store", alice.path])
                _ = await SyncTestSupport.margin(["remote", "add", "hub", server.url, "--store", alice.path])

                let synced = await SyncTestSupport.margin(["sync", "--store", alice.path])
                #expect(synced.status == 1, "a failed remote must fail the run")
                #expect(synced.output.contains("hub: sent \(total), received 0."), "\(synced.output)")
                #expect(synced.errors.contains("error: aaa-locked: "), "\(synced.errors)")
                #expect(synced.errors.contains("(401)"))
                #expect(synced.errors.contains("1 remote of 2 failed: aaa-locked; the others synced."))
                #expect(try SyncTestSupport.revisionIDs(hub) == SyncTestSupport.revisionIDs(alice))
                #expect(try SyncTestSupport.revisionIDs(locked).isEmpty)

                let status = await SyncTestSupport.margin(["remote", "list", "--store", alice.path])
                let lines = status.output.split(separator: "\n")
                #expect(lines.first { $0.hasPrefix("hub") }?.contains("last sync: never") == false)
                #expect(lines.first { $0.hasPrefix("aaa-locked") }?.contains("last sync: never") == true)

                struct Summary: Decodable {
                    struct Report: Decodable { var remote: String }
                    struct Failure: Decodable { var remote: String; var error: String }
                    var remotes: [Report]
                    var failed: [Failure]
                    var newConflicts: [AnyDecodable]
                }
                let json = await SyncTestSupport.margin(["sync", "--json", "--store", alice.path])
                #expect(json.status == 1)
                let summary = try JSONDecoder().decode(Summary.self, from: Data(json.output.utf8))
                #expect(summary.remotes.map(\.remote) == ["hub"])
                #expect(summary.failed.map(\.remote) == ["aaa-locked"])
                #expect(summary.newConflicts.isEmpty)

                let named = await SyncTestSupport.margin(["sync", "hub", "--store", alice.path])
                #expect(named.status == 0, "\(named.errors)")
            }
        }
    }

    @Test("a note larger than a revision may be is refused locally with a clear error and nothing written")
    func oversizedNoteIsRefused() async throws {
        let alice = try SyncTestSupport.seededStore(author: "alice", files: 1)
        let section = try SyncTestSupport.firstSection(alice)
        let before = try SyncTestSupport.revisionIDs(alice)
        let text = String(repeating: "长", count: 3_500_000)  // 10.5 MB of UTF-8
        let file = SyncTestSupport.temporaryFolder("note") + ".txt"
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        #expect(throws: MarginStoreError.self) { try alice.addAnnotation(on: section, text: text) }
        let error = try #require(throws: MarginStoreError.self) { try alice.addAnnotation(on: section, text: text) }
        #expect(error.description.contains("too large"))
        #expect(error.description.contains("nothing was written"))
        #expect(try SyncTestSupport.revisionIDs(alice) == before)
    }

    @Test("revisions of the largest size sync through a server at its smallest body limit, both ways")
    func maximalRevisionsFitTheSmallestServer() async throws {
        let hub = try SyncTestSupport.newStore(author: "hub")
        let alice = try SyncTestSupport.seededStore(author: "alice", files: 1)
        let section = try SyncTestSupport.firstSection(alice)
        // Every `"` is two bytes in the body and four on the wire: the worst case the body limit allows.
        let quotes = String(repeating: "\"", count: 2_096_900)
        for index in 0..<2 { _ = try alice.addAnnotation(on: section, text: quotes + "\(index)") }
        let largest = try #require(try alice.newestRevision(of: alice.peer.id)).body.utf8.count
        #expect(largest > RevisionLimits.maximumBodyBytes - 1_000, "the test must write revisions near the limit")
        try await SyncTestSupport.withServer(hub, maxBodyBytes: RevisionLimits.maximumEncodedRevisionBytes) { server in
            let pushed = try await SyncTestSupport.sync(alice, with: server.url)
            #expect(pushed.complete)
            let bob = try SyncTestSupport.newStore(author: "bob")
            let pulled = try await SyncTestSupport.sync(bob, with: server.url)
            #expect(pulled.complete)
            #expect(try SyncTestSupport.revisionIDs(bob) == SyncTestSupport.revisionIDs(alice))
            #expect(try SyncTestSupport.revisionIDs(hub) == SyncTestSupport.revisionIDs(alice))
        }
    }

    @Test("a server whose body limit is below the protocol's minimum gets every revision it can take, then a clear error")
    func serverBelowTheMinimum() async throws {
        let hub = try SyncTestSupport.newStore(author: "hub")
        let alice = try SyncTestSupport.seededStore(author: "alice", files: 1)
        let section = try SyncTestSupport.firstSection(alice)
        let before = try SyncTestSupport.revisionIDs(alice)
        _ = try alice.addAnnotation(on: section, text: String(repeating: "长", count: 700_000))  // 2.1 MB
        let large = try #require(try alice.newestRevision(of: alice.peer.id))
        try await SyncTestSupport.withServer(hub, maxBodyBytes: 1 << 20) { server async throws in
            let error = await #expect(throws: SyncClientError.self) {
                try await SyncTestSupport.sync(alice, with: server.url)
            }
            let message = error?.description ?? ""
            #expect(message.contains("accepts requests of at most 1048576 bytes"), "\(message)")
            #expect(message.contains(String(large.id.rawValue.prefix(10))))
            #expect(message.contains("--max-body-bytes"))
            // Everything before the large revision reached the server; the large one stays here, unharmed.
            #expect(try SyncTestSupport.revisionIDs(hub) == before)
            #expect(try alice.newestRevision(of: alice.peer.id) == large)
        }
    }

    @Test("serve on a port in use says so in one sentence")
    func busyPort() async throws {
        let hub = try SyncTestSupport.newStore(author: "hub")
        try await SyncTestSupport.withServer(hub) { server in
            let port = try #require(server.url.split(separator: ":").last.map(String.init))
            let result = await SyncTestSupport.margin(["serve", "--port", port, "--store", hub.path])
            #expect(result.status == 1)
            #expect(result.errors == "error: Cannot listen on 127.0.0.1:\(port): the port is in use by another program; choose another with --port, or --port 0 for a free one.\n")
        }
    }
}

/// Decodes any JSON value, for documents whose inner shape a test does not care about.
struct AnyDecodable: Decodable {
    init(from decoder: any Decoder) throws {}
}
