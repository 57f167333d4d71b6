import Foundation
import PostgresNIO
import PostgresRevisionStore

/// The PostgreSQL server the tests of several targets use: the one `MARGIN_TEST_POSTGRES_URL` names, or else a cluster this process
/// starts with `scripts/postgres-test-cluster.sh` (stopped by the script's watcher when the process ends). When
/// neither works, every test fails with ``Unavailable``'s message: these tests never skip.
///
/// Each test works in a database of its own (``withDatabase(_:)``), so the tests run in parallel.
public enum TestPostgres {
    /// Why there is no server for the tests.
    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String
    }

    /// The URL of the server's database for administration (creating and dropping the tests' databases).
    public static let administrationURL: Result<String, Unavailable> = {
        if let url = ProcessInfo.processInfo.environment["MARGIN_TEST_POSTGRES_URL"], !url.isEmpty {
            return .success(url)
        }
        return startCluster()
    }()

    /// Runs `body` with the URL of a new, empty database, dropped afterwards.
    public static func withDatabase<Result: Sendable>(_ body: (String) async throws -> Result) async throws -> Result {
        let administration = try administrationURL.get()
        let name = "margin_test_" + (0..<4).map { _ in String(UInt16.random(in: .min ... .max), radix: 16) }.joined()
        try await execute("CREATE DATABASE \(name)", at: administration)
        do {
            let result = try await body(try url(administration, database: name))
            try await execute("DROP DATABASE \(name) WITH (FORCE)", at: administration)
            return result
        } catch {
            try? await execute("DROP DATABASE \(name) WITH (FORCE)", at: administration)
            throw error
        }
    }

    /// Runs `body` with a migrated repository over a new, empty database.
    public static func withRepository<Result: Sendable>(
        _ body: (PostgresRevisionRepository) async throws -> Result
    ) async throws -> Result {
        try await withDatabase { url in
            try await PostgresRevisionRepository.withRepository(url: url, maximumConnections: 4, body)
        }
    }

    /// Runs one statement (no binds) on the database at `url`, with a client of its own.
    public static func execute(_ sql: String, at url: String) async throws {
        let client = PostgresClient(configuration: try PostgresDatabaseURL.configuration(from: url))
        try await PoolRun.whileRunning(client) {
            _ = try await client.query(PostgresQuery(unsafeSQL: sql))
        }
    }

    /// `base` with its database replaced by `database`.
    static func url(_ base: String, database: String) throws -> String {
        guard var components = URLComponents(string: base) else {
            throw Unavailable(description: "MARGIN_TEST_POSTGRES_URL “\(base)” is not a URL")
        }
        components.path = "/" + database
        return components.string ?? base
    }

    /// Starts a throwaway cluster with the project's script, to be stopped when this process ends.
    ///
    /// The script runs through posix_spawn and waitpid: Foundation's `Process.waitUntilExit()` waits for a run-loop
    /// notice of the child's end, which never came while the tests' other threads waited for this value.
    private static func startCluster() -> Result<String, Unavailable> {
        let root = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let script = root.appendingPathComponent("scripts/postgres-test-cluster.sh").path
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("margin-pg-start-\(getpid())").path
        let environmentFile = scratch + ".env"
        let errorFile = scratch + ".err"
        defer {
            try? FileManager.default.removeItem(atPath: environmentFile)
            try? FileManager.default.removeItem(atPath: errorFile)
        }
        let unavailable = { (reason: String) in
            Result<String, Unavailable>.failure(Unavailable(description: """
                No PostgreSQL for the tests: MARGIN_TEST_POSTGRES_URL is not set, and \(script) start failed: \
                \(reason). Install PostgreSQL (make deps installs it) or set MARGIN_TEST_POSTGRES_URL to a database \
                whose user may create databases.
                """))
        }
        let arguments = [
            "/bin/bash", "-c", #"exec /bin/bash "$0" start --env-file "$1" --stop-when-gone "$2" >/dev/null 2>"$3""#,
            script, environmentFile, String(getpid()), errorFile,
        ]
        var cArguments = arguments.map { strdup($0) } + [nil]
        defer { for argument in cArguments { free(argument) } }
        var child: pid_t = 0
        let spawned = posix_spawn(&child, "/bin/bash", nil, nil, &cArguments, environ)
        guard spawned == 0 else { return unavailable("bash could not be started (error \(spawned))") }
        var status: Int32 = 0
        while waitpid(child, &status, 0) == -1 {
            guard errno == EINTR else { return unavailable("waiting for it failed (errno \(errno))") }
        }
        let exitedCleanly = status & 0x7F == 0 && (status >> 8) & 0xFF == 0
        guard exitedCleanly, let lines = try? String(contentsOfFile: environmentFile, encoding: .utf8) else {
            let message = (try? String(contentsOfFile: errorFile, encoding: .utf8)) ?? ""
            return unavailable(message.isEmpty ? "it exited with status \(status)" : message.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let prefix = "export MARGIN_TEST_POSTGRES_URL="
        guard let line = lines.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) else {
            return unavailable("it wrote no URL")
        }
        return .success(String(line.dropFirst(prefix.count)))
    }
}
