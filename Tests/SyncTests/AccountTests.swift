import Foundation
import Hummingbird
import HummingbirdTesting
import MarginCLI
import MarginCore
import MarginStore
import StoreSyncBackend
import SyncClient
import SyncProtocol
import SyncServer
import Testing

/// Server accounts (`margin user add/list/revoke`) checked by a live server on every request, and tokens that reach
/// `margin remote add` without passing through the command line.
@Suite struct AccountTests {
    /// Runs `margin user add` against `store` and returns the token it printed (its only line of standard output).
    static func addUser(
        _ store: MarginStore, _ name: String, readOnly: Bool = false, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> String {
        let added = await SyncTestSupport.margin(
            ["user", "add", name] + (readOnly ? ["--read-only"] : []) + ["--store", store.path])
        #expect(added.status == 0, "\(added.errors)", sourceLocation: sourceLocation)
        let lines = added.output.split(separator: "\n")
        #expect(lines.count == 1, "the token alone goes to standard output", sourceLocation: sourceLocation)
        return String(try #require(lines.first, sourceLocation: sourceLocation))
    }

    /// The bytes of the store's SQLite files (the database and its write-ahead log).
    static func databaseBytes(_ store: MarginStore) throws -> Data {
        let base = (store.path as NSString).appendingPathComponent(MarginStore.databaseFileName)
        var bytes = Data()
        for path in [base, base + "-wal"] where FileManager.default.fileExists(atPath: path) {
            bytes.append(try Data(contentsOf: URL(fileURLWithPath: path)))
        }
        return bytes
    }

    // MARK: - Managing accounts

    @Test func accountsAreAddedListedAndRevoked() async throws {
        let hub = try SyncTestSupport.newStore(author: "hub")
        let empty = await SyncTestSupport.margin(["user", "list", "--store", hub.path])
        #expect(empty.status == 0 && empty.output.contains("No accounts"))

        let aliceToken = try await Self.addUser(hub, "alice")
        let readerToken = try await Self.addUser(hub, "lab.reader-1", readOnly: true)
        #expect(aliceToken.hasPrefix(AccountToken.prefix) && aliceToken.count == AccountToken.prefix.count + 43)
        #expect(aliceToken != readerToken)

        let revoked = await SyncTestSupport.margin(["user", "revoke", "alice", "--store", hub.path])
        #expect(revoked.status == 0 && revoked.output.contains("Revoked account alice"), "\(revoked.errors)")
        let again = await SyncTestSupport.margin(["user", "revoke", "alice", "--store", hub.path])
        #expect(again.status == 0 && again.output.contains("already revoked"), "\(again.output)")

        let text = await SyncTestSupport.margin(["user", "list", "--store", hub.path])
        let lines = text.output.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("alice\tread-write\tcreated ") && lines[0].contains("\trevoked "), "\(lines)")
        #expect(lines[1].hasPrefix("lab.reader-1\tread-only\tcreated ") && lines[1].hasSuffix("\tactive"), "\(lines)")

        struct Entry: Decodable {
            var name: String
            var access: String
            var createdAt: String
            var revoked: Bool
            var revokedAt: String?
        }
        let json = await SyncTestSupport.margin(["user", "list", "--json", "--store", hub.path])
        let entries = try JSONDecoder().decode([Entry].self, from: Data(json.output.utf8))
        #expect(entries.map(\.name) == ["alice", "lab.reader-1"])
        #expect(entries.map(\.access) == ["read-write", "read-only"])
        #expect(entries.map(\.revoked) == [true, false])
        #expect(entries.allSatisfy { Timestamp.parse($0.createdAt) != nil && $0.createdAt.hasSuffix("Z") })
        #expect(entries[0].revokedAt.flatMap(Timestamp.parse) != nil && entries[1].revokedAt == nil)
        for output in [text.output, json.output] {
            #expect(!output.contains(aliceToken) && !output.contains(readerToken))
            #expect(!output.lowercased().contains("hash") && !output.contains("token"))
        }
    }

    @Test func duplicateUnknownAndBadNamesAreClearErrors() async throws {
        let hub = try SyncTestSupport.newStore(author: "hub")
        _ = try await Self.addUser(hub, "alice")

        let duplicate = await SyncTestSupport.margin(["user", "add", "alice", "--read-only", "--store", hub.path])
        #expect(duplicate.status == 1 && duplicate.errors.contains("An account named “alice” exists already"))
        #expect(duplicate.output.isEmpty, "no token is printed for an account that was not added")
        _ = await SyncTestSupport.margin(["user", "revoke", "alice", "--store", hub.path])
        let reused = await SyncTestSupport.margin(["user", "add", "alice", "--store", hub.path])
        #expect(reused.status == 1, "a revoked account's name is not reused")

        let unknown = await SyncTestSupport.margin(["user", "revoke", "bob", "--store", hub.path])
        #expect(unknown.status == 1 && unknown.errors.contains("There is no account named “bob” (accounts: alice)"))

        for bad in ["Alice", "", "a b", "-x", ".hidden", "名前", String(repeating: "a", count: 65), "a/b"] {
            let refused = await SyncTestSupport.margin(["user", "add", bad, "--store", hub.path])
            #expect(refused.status == 64, "“\(bad)”: \(refused.errors)")
            #expect(refused.output.isEmpty)
        }
        let badRevoke = await SyncTestSupport.margin(["user", "revoke", "Alice", "--store", hub.path])
        #expect(badRevoke.status == 64 && badRevoke.errors.contains("is not a usable account name"))
        #expect(try hub.accounts().map(\.name.rawValue) == ["alice"])
        _ = try await Self.addUser(hub, String(repeating: "a", count: 64))
    }

    @Test func onlyTheTokensHashIsStored() async throws {
        let hub = try SyncTestSupport.newStore(author: "hub")
        let token = try await Self.addUser(hub, "alice")
        let bytes = try Self.databaseBytes(hub)
        // The search can fail: the hash it looks for beside the token is found.
        #expect(bytes.range(of: Data(AccountToken.hash(of: token))) != nil, "the token's hash is stored")
        #expect(bytes.range(of: Data(token.utf8)) == nil, "the token itself is not stored")
        #expect(bytes.range(of: Data(token.dropFirst(AccountToken.prefix.count).utf8)) == nil)
        #expect(try hub.account(presenting: token)?.name.rawValue == "alice")
        #expect(try hub.account(presenting: token + "x") == nil)
    }

    // MARK: - A server checks accounts on every request

    @Test func theServerAnswers401And403AsTheProtocolSays() async throws {
        let source = try SyncTestSupport.seededStore(author: "source", files: 1)
        let hub = try SyncTestSupport.newStore(author: "hub")
        let writer = try await Self.addUser(hub, "writer")
        let reader = try await Self.addUser(hub, "reader", readOnly: true)
        let gone = try await Self.addUser(hub, "gone")
        #expect(try hub.revokeAccount(named: try #require(AccountName(typed: "gone"))) != .unknown)
        let push = try SyncFaultTests.signedPush(source)
        let pull = SyncRequest(have: VersionVector())
        let app = buildApplication(backend: EmbeddedSyncBackend(hub), configuration: SyncTestSupport.configuration())
        try await app.test(.router) { client in
            for token in [nil, "margin_unknown", gone, "Bearer"] {
                let refused = try await SyncFaultTests.post(client, SyncEndpoint.sync, pull, token: token)
                #expect(refused.status.code == 401, "\(token ?? "no token")")
                #expect(refused.headers[.wwwAuthenticate] != nil)
                #expect(try SyncFaultTests.errorCode(refused) == .unauthorized)
            }
            #expect(try await SyncFaultTests.post(client, SyncEndpoint.revisions, push, token: gone).status.code == 401)
            #expect(try await SyncFaultTests.post(client, SyncEndpoint.sync, pull, token: reader).status.code == 200)
            let readerPush = try await SyncFaultTests.post(client, SyncEndpoint.revisions, push, token: reader)
            #expect(readerPush.status.code == 403)
            #expect(try SyncFaultTests.errorCode(readerPush) == .forbidden)
            #expect(try await SyncFaultTests.post(client, SyncEndpoint.revisions, push, token: writer).status.code == 200)
            #expect(try await client.execute(uri: SyncEndpoint.health, method: .get).status.code == 200)
        }
        #expect(try SyncTestSupport.revisionIDs(hub) == SyncTestSupport.revisionIDs(source))
    }

    @Test func aReadWriteAccountSyncsAndARevokedOneIsRefusedAtOnce() async throws {
        let hub = try SyncTestSupport.newStore(author: "hub")
        let alice = try SyncTestSupport.seededStore(author: "alice", files: 1)
        let token = try await Self.addUser(hub, "alice")
        try await SyncTestSupport.withServer(hub) { server in
            // The server was started without tokens, but the store has an account: no token is no entry.
            await #expect(throws: SyncClientError.self) {
                try await SyncTestSupport.sync(alice, with: server.url, name: "anonymous")
            }
            let report = try await SyncTestSupport.sync(alice, with: server.url, name: "hub", token: token)
            #expect(report.sent > 0)
            #expect(try SyncTestSupport.revisionIDs(hub) == SyncTestSupport.revisionIDs(alice))

            // Revoked from another connection while the server runs: the very next request is refused.
            let revoked = await SyncTestSupport.margin(["user", "revoke", "alice", "--store", hub.path])
            #expect(revoked.status == 0)
            let synced = await SyncTestSupport.margin(["sync", "hub", "--store", alice.path])
            #expect(synced.status == 1)
            #expect(synced.errors.contains("(401)") && synced.errors.contains("“alice” was revoked"), "\(synced.errors)")
        }
        try SyncTestSupport.expectSound(hub, alice)
    }

    @Test func aReadOnlyAccountPullsButMayNotPush() async throws {
        let hub = try SyncTestSupport.seededStore(author: "hub", files: 1)
        let reader = try SyncTestSupport.newStore(author: "reader")
        let token = try await Self.addUser(hub, "reader", readOnly: true)
        try await SyncTestSupport.withServer(hub) { server in
            let pulled = try await SyncTestSupport.sync(reader, with: server.url, name: "hub", token: token)
            #expect(pulled.received > 0 && pulled.sent == 0)
            #expect(try SyncTestSupport.revisionIDs(reader) == SyncTestSupport.revisionIDs(hub))

            let section = try SyncTestSupport.firstSection(reader)
            let noted = await SyncTestSupport.margin(["annotate", section, "a reader's note", "--store", reader.path])
            #expect(noted.status == 0, "\(noted.errors)")
            let before = try SyncTestSupport.revisionIDs(hub)
            do {
                try await SyncTestSupport.sync(reader, with: server.url, name: "hub")
                Issue.record("a read-only account pushed")
            } catch let error as SyncClientError {
                #expect(error.description.contains("403") && error.description.contains("“reader” may only pull"), "\(error)")
            }
            #expect(try SyncTestSupport.revisionIDs(hub) == before)
        }
    }

    /// A sync whose push is refused after its pull brought revisions: the pulled pages are kept, and `margin sync`
    /// says how many, in its text and in `--json`, beside the error.
    @Test func aRefusedPushSaysWhatThePullBroughtAndKept() async throws {
        let hub = try SyncTestSupport.seededStore(author: "hub", files: 1)
        let hubRevisions = try SyncTestSupport.revisionIDs(hub)
        let token = try await Self.addUser(hub, "reader", readOnly: true)
        let reader = try SyncTestSupport.seededStore(author: "reader", files: 2)
        let file = SyncTestSupport.temporaryFolder("reader-token") + ".txt"
        try token.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        try await SyncTestSupport.withServer(hub) { server in
            let added = await SyncTestSupport.margin(["remote", "add", "hub", server.url, "--token-file", file, "--store", reader.path])
            #expect(added.status == 0, "\(added.errors)")
            let synced = await SyncTestSupport.margin(["sync", "hub", "--store", reader.path])
            #expect(synced.status == 1)
            #expect(synced.errors.contains("“reader” may only pull"), "\(synced.errors)")
            #expect(synced.output.contains("hub: sent 0, received \(hubRevisions.count) before it failed; what was received is kept."),
                "\(synced.output)")
            #expect(try SyncTestSupport.revisionIDs(reader).isSuperset(of: hubRevisions))

            // Again with --json: nothing new to pull, the push refused again.
            let json = await SyncTestSupport.margin(["sync", "hub", "--json", "--store", reader.path])
            #expect(json.status == 1)
            let summary = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
            let failed = try #require(summary?["failed"] as? [[String: Any]])
            #expect(failed.first?["remote"] as? String == "hub")
            #expect(failed.first?["received"] as? Int == 0 && failed.first?["sent"] as? Int == 0)
        }
        #expect(try SyncTestSupport.revisionIDs(hub) == hubRevisions, "the read-only account changed nothing on the server")
    }

    @Test func startupTokensStillWorkBesideAccounts() async throws {
        let hub = try SyncTestSupport.newStore(author: "hub")
        let alice = try SyncTestSupport.seededStore(author: "alice", files: 1)
        let bob = try SyncTestSupport.newStore(author: "bob")
        let token = try await Self.addUser(hub, "alice")
        try await SyncTestSupport.withServer(hub, access: SyncAccess(writeTokens: ["one-person-token"])) { server in
            try await SyncTestSupport.sync(alice, with: server.url, name: "by-account", token: token)
            try await SyncTestSupport.sync(bob, with: server.url, name: "by-token", token: "one-person-token")
            await #expect(throws: SyncClientError.self) {
                try await SyncTestSupport.sync(bob, with: server.url, name: "guess", token: "margin_guess")
            }
        }
        #expect(try SyncTestSupport.revisionIDs(bob) == SyncTestSupport.revisionIDs(alice))
    }

    // MARK: - Tokens off the command line

    @Test func remoteAddTakesTheTokenFromAFileStandardInputOrTheEnvironment() async throws {
        let store = try SyncTestSupport.newStore(author: "alice")
        let url = "http://127.0.0.1:9"
        let file = SyncTestSupport.temporaryFolder("token") + ".txt"
        try "from-the-file\n".write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }

        let fromFile = await SyncTestSupport.margin(["remote", "add", "a", url, "--token-file", file, "--store", store.path])
        #expect(fromFile.status == 0 && fromFile.output.contains("with the token from \(file)"), "\(fromFile.errors)")
        let fromInput = await InputEnvironment.$override.withValue(.fixed(input: Data("from-stdin\n".utf8))) {
            await SyncTestSupport.margin(["remote", "add", "b", url, "--token-stdin", "--store", store.path])
        }
        #expect(fromInput.status == 0 && fromInput.output.contains("standard input"), "\(fromInput.errors)")
        let fromEnvironment = await InputEnvironment.$override.withValue(.fixed(variables: ["MARGIN_TOKEN": "from-env"])) {
            await SyncTestSupport.margin(["remote", "add", "c", url, "--store", store.path])
        }
        #expect(fromEnvironment.status == 0 && fromEnvironment.output.contains("$MARGIN_TOKEN"))
        let onTheLine = await SyncTestSupport.margin(["remote", "add", "d", url, "--token", "typed", "--store", store.path])
        #expect(onTheLine.status == 0)
        let none = await InputEnvironment.$override.withValue(.fixed()) {
            await SyncTestSupport.margin(["remote", "add", "e", url, "--store", store.path])
        }
        #expect(none.status == 0)
        #expect(try store.remotes().map(\.token) == ["from-the-file", "from-stdin", "from-env", "typed", nil])

        let twoWays = await SyncTestSupport.margin(
            ["remote", "add", "f", url, "--token", "x", "--token-file", file, "--store", store.path])
        #expect(twoWays.status == 64 && twoWays.errors.contains("Give the token one way"))
        let spaced = await InputEnvironment.$override.withValue(.fixed(input: Data("two words\n".utf8))) {
            await SyncTestSupport.margin(["remote", "add", "g", url, "--token-stdin", "--store", store.path])
        }
        #expect(spaced.status == 1 && spaced.errors.contains("The token from standard input cannot be used"))
        let emptyInput = await InputEnvironment.$override.withValue(.fixed(input: Data("\n".utf8))) {
            await SyncTestSupport.margin(["remote", "add", "h", url, "--token-stdin", "--store", store.path])
        }
        #expect(emptyInput.status == 1 && emptyInput.errors.contains("it is empty"))
        let missingFile = await SyncTestSupport.margin(
            ["remote", "add", "i", url, "--token-file", file + ".missing", "--store", store.path])
        #expect(missingFile.status == 1 && missingFile.errors.contains("Cannot read"))
        #expect(try store.remotes().count == 5, "a refused token adds no remote")

        for arguments in [["remote", "list"], ["remote", "list", "--json"]] {
            let listed = await SyncTestSupport.margin(arguments + ["--store", store.path])
            #expect(listed.status == 0)
            for token in ["from-the-file", "from-stdin", "from-env", "typed"] {
                #expect(!listed.output.contains(token), "\(arguments) printed a token")
            }
        }
    }

    @Test func aTokenFromAFileSyncsWithAnAccount() async throws {
        let hub = try SyncTestSupport.newStore(author: "hub")
        let alice = try SyncTestSupport.seededStore(author: "alice", files: 1)
        let file = SyncTestSupport.temporaryFolder("token") + ".txt"
        // As `margin user add alice > FILE` saves it: the token and a line break.
        try (try await Self.addUser(hub, "alice") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        try await SyncTestSupport.withServer(hub) { server in
            let added = await SyncTestSupport.margin(["remote", "add", "hub", server.url, "--token-file", file, "--store", alice.path])
            #expect(added.status == 0)
            let synced = await SyncTestSupport.margin(["sync", "hub", "--store", alice.path])
            #expect(synced.status == 0, "\(synced.errors)")
        }
        #expect(try SyncTestSupport.revisionIDs(hub) == SyncTestSupport.revisionIDs(alice))
    }
}
