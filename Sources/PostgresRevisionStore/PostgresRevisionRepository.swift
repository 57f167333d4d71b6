import _ConnectionPoolModule
import Logging
import MarginCore
import PostgresNIO
import Synchronization
import SyncProtocol

/// What a sync server keeps in PostgreSQL: revisions, the version vector with each origin's chain, the signatures
/// that vouch for the revisions and the keys they bind, and accounts, shared by several stateless servers over one
/// database. Nothing is materialized and nothing is indexed for search: only what sync needs.
///
/// ```swift
/// try await PostgresRevisionRepository.withRepository(url: "postgresql://margin@127.0.0.1/margin") { repository in
///     let vector = try await repository.vector()
///     let outcome = try await repository.receive(page, proofs: signatures, from: peer, account: "alice")
/// }
/// ```
///
/// ## Several servers, one database
///
/// **Writing.** A received page is applied in one `REPEATABLE READ` transaction: the vector, the ids at repeated
/// counters, the parents and the records' kinds are read from one snapshot, the page is judged by the embedded
/// store's rules (``PageAdmission``) and its signatures by `SignatureAdmission`, and the new revisions, new records,
/// vector entries (with their chains), proofs and key bindings are written. Two servers receiving the same origin's
/// revisions at once (two peers relaying them, or one peer retrying elsewhere) collide on a row both write: the unique
/// `(origin, counter)` and `id` of `revision`, the key of `record` (a record's first revision), the origin's row in
/// `sync_vector`, or its binding in `origin_key`. PostgreSQL makes the second writer wait for the first and then
/// fail (unique violation, serialization failure, or deadlock); the page is then judged again from a fresh snapshot,
/// where it meets the other's revisions as duplicates, or is rejected (`counter-reused`, `kind-change`) exactly as if
/// the two pages had arrived one after the other. After ``maximumAttempts`` such collisions it gives up with
/// `.contention`, which a server answers with "try again", never as its own failure. A rejection is judged on one
/// snapshot, so it is the answer the page would have had at that moment; nothing is written.
///
/// **Log order and commit order.** `seq` (the change-log position) is taken when a row is inserted, and transactions
/// commit in another order: a reader may see seq 11 while seq 10 is still uncommitted. Nothing pages by seq: a pull
/// asks for each origin's counters above the client's vector, so a revision that commits late is found by its counter
/// on the next pull. Seq only orders a page, and that order is causal: a revision's transaction saw its parent
/// committed (or inserted it earlier, in page order) before taking its own seq, and the parent's seq was taken before
/// its commit; likewise an origin's counter n before n + 1, which the gap rule makes wait for n. A page is read from
/// one `REPEATABLE READ` snapshot, in which a revision is visible only with its parents (committed no later) and the
/// vector matches the revisions. Taking per origin the first `limit` missing revisions and then the first `limit` of
/// those by seq yields a page closed under parents: a missing parent of a chosen revision has a smaller seq, and if it
/// were not among its origin's first `limit`, those `limit` revisions would all precede the child.
///
/// The repository is a value over a pooled `PostgresClient`, which must be running (``run()``) while it is used;
/// ``withRepository(url:maximumConnections:logger:_:)`` does both.
public struct PostgresRevisionRepository: Sendable {
    /// How many times a page is judged and written before a collision with other writers is reported as
    /// `.contention`.
    public static let maximumAttempts = 8

    /// The logger used when none is given: it drops everything (a server passes its own).
    public static let silentLogger = Logger(label: "margin.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    /// How long a piece of work waits for a pooled connection, while no other work gets one, before it fails as
    /// `.unreachable` (see ``PostgresRevisionStoreError/Kind/unreachable(_:)``), when the repository is not given
    /// another wait.
    public static let defaultConnectionWait: Duration = .seconds(10)

    /// How long a piece of work may run on its connection before it fails as `.unreachable` and its connection is
    /// closed (a database that stopped answering, a lock held elsewhere), when the repository is not given another
    /// limit: below a client's own wait for an answer (60 s), so that it hears why.
    public static let defaultWorkLimit: Duration = .seconds(30)

    /// The pooled client all work goes through.
    public let client: PostgresClient
    /// The client, with a deadline on the wait for a connection.
    let connections: PostgresConnectionSource
    let logger: Logger
    private let conflicts: ConflictCount

    /// A repository over `client`, which the caller runs (``run()`` or `client.run()`) for as long as it is used.
    /// Call ``migrate()`` once before anything else. Work that waits `connectionWait` for a connection while no other
    /// work gets one (PostgreSQL cannot be reached) fails as `.unreachable` instead of waiting on; work that waits
    /// while others are served (every connection busy) waits on.
    public init(
        client: PostgresClient, connectionWait: Duration = Self.defaultConnectionWait,
        workLimit: Duration? = Self.defaultWorkLimit, logger: Logger = Self.silentLogger
    ) {
        self.client = client
        self.connections = PostgresConnectionSource(
            client: client, wait: connectionWait, workLimit: workLimit, logger: logger)
        self.logger = logger
        self.conflicts = ConflictCount()
    }

    /// A repository over a new client for `url` (see ``PostgresDatabaseURL``), which the caller runs with ``run()``.
    public init(
        url: String, maximumConnections: Int = 20, connectionWait: Duration = Self.defaultConnectionWait,
        workLimit: Duration? = Self.defaultWorkLimit, logger: Logger = Self.silentLogger
    ) throws {
        var configuration = try PostgresDatabaseURL.configuration(from: url)
        configuration.options.maximumConnections = maximumConnections
        // Sync runs short, indexed statements: compiling them (JIT, when the planner's cost estimate is high) costs
        // more than it saves.
        configuration.options.additionalStartupParameters.append(("jit", "off"))
        self.init(
            client: PostgresClient(configuration: configuration, backgroundLogger: logger),
            connectionWait: connectionWait, workLimit: workLimit, logger: logger)
    }

    /// Runs the client's connection pool until the task is cancelled: queries wait for connections while it runs.
    public func run() async {
        await client.run()
    }

    /// Runs a repository for `url` while `body` runs: starts the client, brings the schema up to date (unless
    /// `migrating` is false, as for a read replica, which follows its primary's schema), calls `body`, then shuts
    /// the client down.
    public static func withRepository<Result: Sendable>(
        url: String, maximumConnections: Int = 20, connectionWait: Duration = Self.defaultConnectionWait,
        workLimit: Duration? = Self.defaultWorkLimit, migrating: Bool = true, logger: Logger = Self.silentLogger,
        _ body: (PostgresRevisionRepository) async throws -> Result
    ) async throws -> Result {
        let repository = try PostgresRevisionRepository(
            url: url, maximumConnections: maximumConnections, connectionWait: connectionWait, workLimit: workLimit,
            logger: logger)
        // The first query waits until the client's task has started: a lease asked for before `run()` is served all
        // the same, but postgres-nio logs a warning for it, which `margin serve --database` printed on 1 of 20 starts
        // tried. The pool is stopped afterwards without waiting on it forever (see ``PoolRun``).
        return try await repository.whileRunning {
            if migrating { try await repository.migrate() }
            return try await body(repository)
        }
    }

    /// Runs the client's pool while `body` runs, then stops it, waiting for it at most `shutdownWait` (see
    /// ``PoolRun``). For a repository made over a URL, which nothing else runs.
    public func whileRunning<Result>(
        shutdownWait: Duration = PoolRun.defaultShutdownWait, _ body: () async throws -> Result
    ) async throws -> Result {
        try await PoolRun.whileRunning(client, shutdownWait: shutdownWait, logger: logger, body)
    }

    /// Creates the tables or brings them up to date; safe to call from several servers at once.
    public func migrate() async throws {
        try await databaseErrors { try await PostgresSchema.migrate(connections.withoutWorkLimit, logger: logger) }
    }

    /// How many times a page's transaction met another writer and was judged again, since this value was made.
    public var conflictsResolved: Int { conflicts.value }

    func noteConflict() { conflicts.add() }

    /// Runs database work, turning PostgreSQL's errors into ``PostgresRevisionStoreError`` (`.database`).
    func databaseErrors<Result>(_ work: () async throws -> Result) async throws -> Result {
        do {
            return try await work()
        } catch {
            throw Self.storeError(from: error)
        }
    }

    /// Runs `work` on a pooled connection (see ``PostgresConnectionSource``), its errors turned as
    /// ``databaseErrors(_:)`` turns them.
    func onConnection<Result: Sendable>(
        _ work: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await databaseErrors { try await connections.withConnection(work) }
    }

    /// The ``PostgresRevisionStoreError`` for an error met while working on the database: `.unreachable` for a
    /// failure that passes (see ``isTransient(_:)``), `.database` for any other.
    static func storeError(from error: any Error) -> PostgresRevisionStoreError {
        switch error {
        case let error as PostgresRevisionStoreError:
            return error
        case let error as ConnectionPoolError:
            return PostgresRevisionStoreError(.unreachable(PostgresFailureWords.describe(error)))
        case let error as PSQLError:
            let message = PostgresFailureWords.describe(error)
            return PostgresRevisionStoreError(isTransient(error) ? .unreachable(message) : .database(message))
        default:
            return PostgresRevisionStoreError(.database(PostgresFailureWords.describe(error)))
        }
    }

    /// True for a PostgreSQL error that says nothing about the request, only that the database cannot serve it now:
    /// the connection failed or was closed, or the server is starting, shutting down, or out of connections
    /// (SQLSTATE classes 08 and 53, 57P01…57P05).
    static func isTransient(_ error: PSQLError) -> Bool {
        switch error.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed:
            return true
        case .server:
            guard let state = error.serverInfo?[.sqlState] else { return false }
            return state.hasPrefix("08") || state.hasPrefix("53") || ["57P01", "57P02", "57P03", "57P05"].contains(state)
        default:
            return false
        }
    }
}

/// A count shared by the copies of a repository.
private final class ConflictCount: Sendable {
    private let count = Atomic<Int>(0)

    var value: Int { count.load(ordering: .relaxed) }

    func add() { count.add(1, ordering: .relaxed) }
}
