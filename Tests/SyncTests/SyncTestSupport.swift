import Foundation
import Logging
import MarginCLI
import MarginCore
import MarginStore
import MarginTestSupport
import StoreSyncBackend
import SyncClient
import SyncProtocol
import SyncServer
import Testing

/// Temporary stores, seed data and in-process servers for the sync tests.
enum SyncTestSupport {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let examples = packageRoot.appendingPathComponent("Protocol/examples")
    static let schemas = packageRoot.appendingPathComponent("Protocol/schemas")

    static var seedFiles: [URL] {
        let folder = packageRoot.appendingPathComponent("seeds").resolvingSymlinksInPath()
        return ((try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? [])
            .filter { $0.pathExtension == "txt" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    /// A new folder path under one shared parent, which is swept of folders left by runs over an hour old.
    static func temporaryFolder(_ label: String = "store") -> String {
        sweptParent.appendingPathComponent("\(label)-\(UUID().uuidString)").path
    }

    /// The parent of every sync test store, swept once per test process.
    static let sweptParent = SweptFolder.make(named: "margin-sync-tests")

    static func newStore(author: String) throws -> MarginStore {
        try MarginStore.create(at: temporaryFolder(author), author: author)
    }

    /// A store holding the reports of the first `files` seed files.
    static func seededStore(author: String, files: Int = 2) throws -> MarginStore {
        let store = try newStore(author: author)
        for file in seedFiles.prefix(files) {
            _ = try store.importReports(from: try Data(contentsOf: file), fileName: file.lastPathComponent)
        }
        return store
    }

    /// A quiet logger, so test output stays readable.
    static var quietLogger: Logger {
        var logger = Logger(label: "margin.sync.tests")
        logger.logLevel = .critical
        return logger
    }

    static func configuration(access: SyncAccess = SyncAccess(), maxBodyBytes: Int = SyncPaging.defaultMaxBodyBytes) -> SyncServerConfiguration {
        SyncServerConfiguration(host: "127.0.0.1", port: 0, access: access, maxBodyBytes: maxBodyBytes, logger: quietLogger)
    }

    /// Runs `body` with a live server over `store` on 127.0.0.1 and a free port, then stops the server.
    static func withServer<T>(
        _ store: MarginStore, access: SyncAccess = SyncAccess(), maxBodyBytes: Int = SyncPaging.defaultMaxBodyBytes,
        _ body: (RunningSyncServer) async throws -> T
    ) async throws -> T {
        let server = try await RunningSyncServer.start(
            backend: EmbeddedSyncBackend(store), configuration: configuration(access: access, maxBodyBytes: maxBodyBytes))
        do {
            let value = try await body(server)
            await server.stop()
            return value
        } catch {
            await server.stop()
            throw error
        }
    }

    /// Fast-failing transport options: tests never wait on backoff for long.
    static let transport = SyncTransportOptions(
        connectTimeout: .seconds(2), requestTimeout: .seconds(60), attempts: 2, initialBackoff: .milliseconds(10))

    /// Syncs `store` with the server at `url`, saving the remote as `name`.
    @discardableResult
    static func sync(
        _ store: MarginStore, with url: String, name: String = "hub", token: String? = nil,
        options: SyncOptions = SyncOptions(transport: transport)
    ) async throws -> SyncReport {
        if try store.remote(named: name) == nil { try store.addRemote(name: name, url: url, token: token) }
        let remote = try #require(try store.remote(named: name))
        return try await SyncSession(store: store, remote: remote, logger: quietLogger).run(options)
    }

    /// Every revision id the store holds, for comparing stores.
    static func revisionIDs(_ store: MarginStore) throws -> Set<RevisionID> {
        Set(try store.changeLog(limit: 1_000_000).map(\.revision))
    }

    /// Checks what every fault test checks afterwards: the SQLite file is sound.
    static func expectSound(_ stores: MarginStore..., sourceLocation: SourceLocation = #_sourceLocation) throws {
        for store in stores {
            #expect(try store.integrityProblems() == [], sourceLocation: sourceLocation)
        }
    }

    /// The first section reference of the store's first report, e.g. `3f9a/1`.
    static func firstSection(_ store: MarginStore) throws -> String {
        let report = try #require(try store.reports().first)
        let outline = try store.outline(of: report.shortID)
        return try #require(outline.sections.first(where: { $0.level > 0 }) ?? outline.sections.first).reference
    }

    /// Runs `margin` in process with a capturing console.
    static func margin(_ arguments: [String]) async -> (status: Int32, output: String, errors: String) {
        let console = Console.capturing()
        let status = await MarginCLI.run(arguments, console: console)
        return (status, console.output, console.errors)
    }
}
