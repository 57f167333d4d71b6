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
    public static var administrationURL: Result<String, Unavailable> { servers.map(\.primary) }

    /// The same database on a read replica of the server (a streaming standby): `MARGIN_TEST_POSTGRES_REPLICA_URL`,
    /// or the standby of the cluster this process started.
    public static var replicaAdministrationURL: Result<String, Unavailable> {
        servers.flatMap { servers in
            guard let replica = servers.replica else {
                return .failure(Unavailable(description: """
                    MARGIN_TEST_POSTGRES_URL is set without MARGIN_TEST_POSTGRES_REPLICA_URL: the tests of read \
                    replicas need a streaming standby of that server (scripts/postgres-test-cluster.sh starts both).
                    """))
            }
            return .success(replica)
        }
    }

    private static let servers: Result<(primary: String, replica: String?), Unavailable> = {
        let environment = ProcessInfo.processInfo.environment
        if let url = environment["MARGIN_TEST_POSTGRES_URL"], !url.isEmpty {
            let replica = environment["MARGIN_TEST_POSTGRES_REPLICA_URL"].flatMap { $0.isEmpty ? nil : $0 }
            return .success((url, replica))
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
        _ = try await text(sql, at: url)
    }

    /// Runs one statement (no binds) on the database at `url`, with a client of its own, and returns its first
    /// row's first column as text (nil when there is none).
    public static func text(_ sql: String, at url: String) async throws -> String? {
        let client = PostgresClient(configuration: try PostgresDatabaseURL.configuration(from: url))
        return try await PoolRun.whileRunning(client) {
            var first: String?
            for try await row in try await client.query(PostgresQuery(unsafeSQL: sql)) where first == nil {
                first = try row.makeRandomAccess()[0].decode(String?.self)
            }
            return first
        }
    }

    /// Runs `body` with the URLs of a new, empty database on the server and of the same database on its read
    /// replica, once the replica has it (see ``withDatabase(_:)``).
    public static func withReplicatedDatabase<Result: Sendable>(
        _ body: (_ primary: String, _ replica: String) async throws -> Result
    ) async throws -> Result {
        let replicaAdministration = try replicaAdministrationURL.get()
        return try await withDatabase { url in
            try await waitForReplica()
            let name = URLComponents(string: url).map { String($0.path.dropFirst()) } ?? ""
            return try await body(url, try Self.url(replicaAdministration, database: name))
        }
    }

    /// Waits until the read replica has replayed everything the server had written when called (by the WAL's insert
    /// position: with `synchronous_commit` off, as the test cluster runs, a commit may not be flushed yet), at most
    /// a minute, which includes any time a test holds replay paused (see ``whileReplayPaused(_:)``).
    public static func waitForReplica() async throws {
        try await waitForReplica(of: try administrationURL.get(), at: try replicaAdministrationURL.get())
    }

    /// Waits until the standby at `replica` (any database on it) has replayed everything the server at `primary`
    /// had written when called, as ``waitForReplica()`` does for the tests' own cluster.
    public static func waitForReplica(of primary: String, at replica: String) async throws {
        guard let written = try await text("SELECT pg_current_wal_insert_lsn()::text", at: primary) else {
            throw Unavailable(description: "the server gave no WAL position")
        }
        for _ in 0..<1200 {
            let caughtUp = try await text(
                "SELECT (pg_last_wal_replay_lsn() >= '\(written)'::pg_lsn)::text", at: replica)
            if caughtUp == "true" { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw Unavailable(description: "the read replica did not replay up to \(written) within a minute")
    }

    /// Runs `body` while the read replica's replay is paused, so that it lags behind the server by whatever `body`
    /// writes; resumes it afterwards. One test at a time holds it paused.
    public static func whileReplayPaused<Result: Sendable>(_ body: () async throws -> Result) async throws -> Result {
        let replica = try replicaAdministrationURL.get()
        await replayPause.acquire()
        do {
            try await execute("SELECT pg_wal_replay_pause()", at: replica)
            let result = try await body()
            try await execute("SELECT pg_wal_replay_resume()", at: replica)
            await replayPause.release()
            return result
        } catch {
            try? await execute("SELECT pg_wal_replay_resume()", at: replica)
            await replayPause.release()
            throw error
        }
    }

    private static let replayPause = AsyncLock()

    /// `base` with its database replaced by `database`.
    public static func url(_ base: String, database: String) throws -> String {
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
    private static func startCluster() -> Result<(primary: String, replica: String?), Unavailable> {
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
            Result<(primary: String, replica: String?), Unavailable>.failure(Unavailable(description: """
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
        func value(_ name: String) -> String? {
            let prefix = "export \(name)="
            return lines.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }).map { String($0.dropFirst(prefix.count)) }
        }
        guard let primary = value("MARGIN_TEST_POSTGRES_URL"), let replica = value("MARGIN_TEST_POSTGRES_REPLICA_URL") else {
            return unavailable("it wrote no URL")
        }
        return .success((primary, replica))
    }
}

/// A lock that tasks wait for without blocking a thread.
private actor AsyncLock {
    private var held = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        if !held {
            held = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty {
            held = false
        } else {
            waiters.removeFirst().resume()
        }
    }
}
