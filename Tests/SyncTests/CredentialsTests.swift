import Foundation
import GRDB
import MarginCLI
import MarginCore
@testable import MarginStore
import Testing

/// Remote tokens live in `<store>/credentials` (mode 0600), never in the database, and are never printed; stores
/// that kept them in the database have them moved out by a migration that loses none.
@Suite struct CredentialsTests {
    /// The permission bits of a file.
    static func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return try #require(attributes[.posixPermissions] as? Int)
    }

    /// True when any of the store's SQLite files (database, write-ahead log, shared memory) holds `text`'s bytes.
    static func databaseFilesContain(_ text: String, store path: String) throws -> Bool {
        let needle = Data(text.utf8)
        for suffix in ["", "-wal", "-shm"] {
            let file = (path as NSString).appendingPathComponent(MarginStore.databaseFileName + suffix)
            guard let bytes = FileManager.default.contents(atPath: file) else { continue }
            if bytes.range(of: needle) != nil { return true }
        }
        return false
    }

    @Test func aRemoteTokenIsKeptInAPrivateFileAndNeverInTheDatabaseOrAListing() async throws {
        let store = try SyncTestSupport.newStore(author: "alice")
        let token = "margin_\(UUID().uuidString)"
        let tokenFile = SyncTestSupport.temporaryFolder("token") + ".txt"
        try (token + "\n").write(toFile: tokenFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: tokenFile) }
        // A first database page exists before the token is added, so a token written there would be found.
        #expect(!FileManager.default.fileExists(atPath: store.credentialsPath))

        let added = await SyncTestSupport.margin(
            ["remote", "add", "hub", "http://127.0.0.1:9", "--token-file", tokenFile, "--store", store.path])
        #expect(added.status == 0, "\(added.errors)")
        #expect(try Self.mode(store.credentialsPath) == 0o600)
        #expect(try String(contentsOfFile: store.credentialsPath, encoding: .utf8).contains(token))
        #expect(try !Self.databaseFilesContain(token, store: store.path), "the token reached the SQLite files")
        #expect(try Self.databaseFilesContain("http://127.0.0.1:9", store: store.path), "the probe finds what is there")
        #expect(try store.remote(named: "hub")?.token == token)

        let text = await SyncTestSupport.margin(["remote", "list", "--store", store.path])
        #expect(text.status == 0 && text.output.contains("hub") && text.output.contains("(token)"))
        let json = await SyncTestSupport.margin(["remote", "list", "--json", "--store", store.path])
        #expect(json.status == 0 && json.output.contains("\"hasToken\" : true"), "\(json.output)")
        for listing in [text, json] {
            #expect(!listing.output.contains(token) && !listing.errors.contains(token))
            #expect(!listing.output.contains(String(token.suffix(12))), "no part of the token is printed")
        }

        let removed = await SyncTestSupport.margin(["remote", "remove", "hub", "--store", store.path])
        #expect(removed.status == 0)
        #expect(!FileManager.default.fileExists(atPath: store.credentialsPath), "the last token leaves with its remote")
    }

    @Test func aCredentialsFileOthersMayReadIsRefused() async throws {
        let store = try SyncTestSupport.newStore(author: "alice")
        let added = await InputEnvironment.$override.withValue(.fixed(input: Data("the-token\n".utf8))) {
            await SyncTestSupport.margin(["remote", "add", "hub", "http://127.0.0.1:9", "--token-stdin", "--store", store.path])
        }
        #expect(added.status == 0, "\(added.errors)")
        #expect(try store.remote(named: "hub")?.token == "the-token")
        #expect(chmod(store.credentialsPath, 0o644) == 0)
        for arguments in [["remote", "list"], ["sync", "hub"], ["remote", "add", "other", "http://127.0.0.1:9"]] {
            let refused = await SyncTestSupport.margin(arguments + ["--store", store.path])
            #expect(refused.status == 1, "\(arguments)")
            #expect(refused.errors.contains("may be read by other users (mode 644)"), "\(arguments): \(refused.errors)")
            #expect(refused.errors.contains("chmod 600 \(store.credentialsPath)"))
            #expect(!refused.errors.contains("the-token"))
        }
        #expect(throws: MarginStoreError.self) { try store.remotes() }
        #expect(chmod(store.credentialsPath, 0o600) == 0)
        #expect(try store.remotes().map(\.name) == ["hub"], "the refused add left nothing behind")
    }

    @Test func theDeprecatedTokenOptionStillWorksWithAWarning() async throws {
        let store = try SyncTestSupport.newStore(author: "alice")
        let typed = await SyncTestSupport.margin(
            ["remote", "add", "hub", "http://127.0.0.1:9", "--token", "typed-token", "--store", store.path])
        #expect(typed.status == 0)
        #expect(typed.errors.contains("warning: --token is deprecated"), "\(typed.errors)")
        #expect(typed.errors.contains("--token-file, --token-stdin or $MARGIN_TOKEN"))
        #expect(try store.remote(named: "hub")?.token == "typed-token")
        #expect(try !Self.databaseFilesContain("typed-token", store: store.path))
    }

    // MARK: - Migration

    /// A store as the schema before the credentials file left it: every migration up to the one before
    /// `v13-remote-tokens-in-a-credentials-file`, a peer identity, and remotes with tokens in the `remote` table.
    static func storeWithTokensInTheDatabase(_ remotes: [(name: String, token: String?)]) throws -> String {
        let path = SyncTestSupport.temporaryFolder("old-store")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let migrator = StoreSchema.migrator
        let index = try #require(migrator.migrations.firstIndex(of: "v13-remote-tokens-in-a-credentials-file"))
        let queue = try DatabaseQueue(path: (path as NSString).appendingPathComponent(MarginStore.databaseFileName))
        try migrator.migrate(queue, upTo: migrator.migrations[index - 1])
        try queue.write { db in
            try PeerIdentity(id: .random(), author: "alice").save(db)
            for (name, token) in remotes {
                try db.execute(
                    sql: "INSERT INTO remote (name, url, token, added_at) VALUES (?, ?, ?, 0)",
                    arguments: [name, "https://lab.example:8443", token])
            }
        }
        try queue.close()
        return path
    }

    /// The tokens still in the `remote` table, by name.
    static func tokensInTheTable(_ path: String) throws -> [String: String] {
        let queue = try DatabaseQueue(path: (path as NSString).appendingPathComponent(MarginStore.databaseFileName))
        defer { try? queue.close() }
        return try queue.read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT name, token FROM remote WHERE token IS NOT NULL")
                .map { ($0["name"] as String, $0["token"] as String) })
        }
    }

    @Test func theMigrationMovesEveryTokenOutOfTheDatabase() throws {
        let tokens = ["lab": "margin_lab_\(UUID().uuidString)", "home": "margin_home_\(UUID().uuidString)"]
        let path = try Self.storeWithTokensInTheDatabase([("lab", tokens["lab"]), ("home", tokens["home"]), ("open", nil)])
        #expect(try Self.tokensInTheTable(path) == tokens, "the old schema held the tokens")

        do {
            let store = try MarginStore.open(at: path)
            let remotes = try store.remotes()
            #expect(remotes.map(\.name) == ["home", "lab", "open"])
            #expect(remotes.map(\.token) == [tokens["home"], tokens["lab"], nil])
            #expect(try Self.mode(store.credentialsPath) == 0o600)
        }
        #expect(try Self.tokensInTheTable(path).isEmpty, "the column was cleared")
        for token in tokens.values {
            #expect(try !Self.databaseFilesContain(token, store: path), "the old token's bytes are gone from SQLite")
        }
        // Opening again changes nothing.
        #expect(try MarginStore.open(at: path).remotes().map(\.token) == [tokens["home"], tokens["lab"], nil])
    }

    @Test func aMigrationThatCannotWriteTheFileKeepsTheTokensInTheDatabase() throws {
        let token = "margin_kept_\(UUID().uuidString)"
        let path = try Self.storeWithTokensInTheDatabase([("lab", token)])
        // A folder where the credentials file should be: it can be neither read as one nor replaced.
        let blocker = StoreCredentials.path(inStore: path)
        try FileManager.default.createDirectory(atPath: blocker, withIntermediateDirectories: false)
        #expect(chmod(blocker, 0o700) == 0)
        #expect(throws: MarginStoreError.self) { try MarginStore.open(at: path) }
        #expect(try Self.tokensInTheTable(path) == ["lab": token], "the failed migration rolled back with the token")

        try FileManager.default.removeItem(atPath: blocker)
        let store = try MarginStore.open(at: path)
        #expect(try store.remote(named: "lab")?.token == token)
        #expect(try Self.tokensInTheTable(path).isEmpty)
    }
}
