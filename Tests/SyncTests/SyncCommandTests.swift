import Foundation
import MarginStore
import Testing

/// `margin remote`, `margin sync` and `margin status`, run in process against a live server.
@Suite struct SyncCommandTests {
    @Test func remotesCanBeAddedListedAndRemoved() async throws {
        let store = try SyncTestSupport.newStore(author: "alice")
        let added = await SyncTestSupport.margin(["remote", "add", "hub", "http://127.0.0.1:9", "--token", "s", "--store", store.path])
        #expect(added.status == 0)
        let duplicate = await SyncTestSupport.margin(["remote", "add", "hub", "http://127.0.0.1:9", "--store", store.path])
        #expect(duplicate.status == 1)
        #expect(duplicate.errors.contains("exists already"))
        let badURL = await SyncTestSupport.margin(["remote", "add", "x", "ftp:nothing", "--store", store.path])
        #expect(badURL.status == 64)
        _ = await SyncTestSupport.margin(["remote", "add", "backup", "http://127.0.0.1:10", "--store", store.path])
        let listed = await SyncTestSupport.margin(["remote", "list", "--json", "--store", store.path])
        struct Entry: Decodable {
            var name: String
            var url: String
            var hasToken: Bool
        }
        let entries = try JSONDecoder().decode([Entry].self, from: Data(listed.output.utf8))
        #expect(entries.map(\.name) == ["backup", "hub"])
        #expect(entries.map(\.hasToken) == [false, true])
        #expect(!listed.output.contains("\"s\""), "tokens are not printed")
        let removed = await SyncTestSupport.margin(["remote", "remove", "backup", "--store", store.path])
        #expect(removed.status == 0)
        let missing = await SyncTestSupport.margin(["remote", "remove", "backup", "--store", store.path])
        #expect(missing.status == 1)
        #expect(missing.errors.contains("no remote named “backup”"))
    }

    @Test func syncAndStatusReportWhatMoved() async throws {
        let hub = try SyncTestSupport.newStore(author: "hub")
        let alice = try SyncTestSupport.seededStore(author: "alice", files: 1)
        let total = try alice.versionVector().values.reduce(0, +)
        try await SyncTestSupport.withServer(hub) { server in
            _ = await SyncTestSupport.margin(["remote", "add", "hub", server.url, "--store", alice.path])
            let before = await SyncTestSupport.margin(["status", "--store", alice.path])
            #expect(before.output.contains("\(total) not pushed"))
            #expect(before.output.contains("last sync: never"))

            let synced = await SyncTestSupport.margin(["sync", "--store", alice.path])
            #expect(synced.status == 0, "\(synced.errors)")
            #expect(synced.output.contains("hub: sent \(total), received 0."))
            #expect(synced.output.contains("No open conflicts."))

            let after = await SyncTestSupport.margin(["status", "--json", "--store", alice.path])
            #expect(after.output.contains("\"notPushed\" : 0"))
            #expect(!after.output.contains("\"lastSyncAt\" : null"))

            let conflicting = await SyncTestSupport.margin(["sync", "--push-only", "--pull-only", "--store", alice.path])
            #expect(conflicting.status == 64)
            let unknown = await SyncTestSupport.margin(["sync", "elsewhere", "--store", alice.path])
            #expect(unknown.status == 1)
            #expect(unknown.errors.contains("known remotes: hub"))
        }
    }

    @Test func syncWithoutRemotesExplainsWhatToDo() async throws {
        let store = try SyncTestSupport.newStore(author: "alice")
        let result = await SyncTestSupport.margin(["sync", "--store", store.path])
        #expect(result.status == 1)
        #expect(result.errors.contains("margin remote add"))
    }
}

/// `margin serve` refuses bad options before it binds anything.
@Suite struct ServeCommandTests {
    @Test func badOptionsAreUsageErrors() async throws {
        let store = try SyncTestSupport.newStore(author: "hub")
        let port = await SyncTestSupport.margin(["serve", "--port", "70000", "--store", store.path])
        #expect(port.status == 64)
        #expect(port.errors.contains("--port"))
        let body = await SyncTestSupport.margin(["serve", "--max-body-bytes", "10", "--store", store.path])
        #expect(body.status == 64)
    }

    @Test func anUnreadableTokenFileIsExplained() async throws {
        let store = try SyncTestSupport.newStore(author: "hub")
        let missing = SyncTestSupport.temporaryFolder("tokens") + "/tokens.txt"
        let result = await SyncTestSupport.margin(["serve", "--port", "0", "--token-file", missing, "--store", store.path])
        #expect(result.status == 1)
        #expect(result.errors.contains("Cannot read \(missing)"))
    }

    @Test func aMissingStoreIsExplained() async throws {
        let result = await SyncTestSupport.margin(["serve", "--port", "0", "--store", SyncTestSupport.temporaryFolder("none")])
        #expect(result.status == 1)
        #expect(result.errors.contains("margin init"))
    }
}
