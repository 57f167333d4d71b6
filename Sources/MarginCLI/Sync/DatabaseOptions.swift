import ArgumentParser
import Foundation
import Logging
import PostgresRevisionStore

/// The `--database` option of `margin serve` and `margin user`: a PostgreSQL database to keep a server's revisions,
/// vector and accounts in, instead of the store folder.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Keep the server's revisions and accounts in PostgreSQL: postgresql://USER@HOST[:PORT]/DATABASE (default: $MARGIN_DATABASE; without it, the store folder). Put a password in $MARGIN_DATABASE, not here, to keep it out of shell history.",
            valueName: "url"))
    var database: String?

    @Option(
        name: .customLong("database-connections"),
        help: ArgumentHelp(
            "Connections this process keeps open to PostgreSQL at most (1 to 10000); keep the sum over all servers below the database's max_connections.",
            valueName: "n"))
    var connections = 20

    @Option(
        name: .customLong("database-wait"),
        help: ArgumentHelp(
            "Seconds a request waits for a PostgreSQL connection while no request gets one, before it is answered 503 (try again later); 1 to 3600.",
            valueName: "seconds"))
    var connectionWait = Int(PostgresRevisionRepository.defaultConnectionWait.components.seconds)

    @Option(
        name: .customLong("database-timeout"),
        help: ArgumentHelp(
            "Seconds a request's work on PostgreSQL may run (a database that stopped answering, a lock held elsewhere) before it is answered 503 and its connection closed; 1 to 3600.",
            valueName: "seconds"))
    var workLimit = Int(PostgresRevisionRepository.defaultWorkLimit.components.seconds)

    /// The most connections one process may ask for (PostgreSQL's own default allows 100 in all).
    static let maximumConnections = 10_000
    /// The longest wait for a connection `--database-wait` takes, in seconds.
    static let maximumConnectionWait = 3600

    func validate() throws {
        guard (1...Self.maximumConnections).contains(connections) else {
            throw ValidationError("--database-connections must be from 1 to \(Self.maximumConnections).")
        }
        guard (1...Self.maximumConnectionWait).contains(connectionWait) else {
            throw ValidationError("--database-wait must be from 1 to \(Self.maximumConnectionWait) seconds.")
        }
        guard (1...Self.maximumConnectionWait).contains(workLimit) else {
            throw ValidationError("--database-timeout must be from 1 to \(Self.maximumConnectionWait) seconds.")
        }
        if database?.isEmpty == true {
            throw ValidationError("--database needs a URL, e.g. --database postgresql://margin@127.0.0.1/margin.")
        }
    }

    /// The database URL to use, if any: --database, else $MARGIN_DATABASE.
    var url: String? {
        if let database { return database }
        guard let fromEnvironment = ProcessInfo.processInfo.environment["MARGIN_DATABASE"], !fromEnvironment.isEmpty
        else { return nil }
        return fromEnvironment
    }

    /// Runs `body` with the database's repository: its client runs and its schema is brought up to date first, and
    /// it is shut down when `body` returns or throws.
    func withRepository<Result: Sendable>(
        url: String, logger: Logger = PostgresRevisionRepository.silentLogger,
        _ body: (PostgresRevisionRepository) async throws -> Result
    ) async throws -> Result {
        try await open(url, typed: database, variable: "MARGIN_DATABASE", migrating: true, logger: logger, body)
    }

    /// Runs `body` with a repository over the read replica at `url` (`typed` when it came from the command line):
    /// its client runs, its schema is left to follow the primary's, and it is shut down when `body` returns or throws.
    func withReplica<Result: Sendable>(
        url: String, typed: String?, logger: Logger = PostgresRevisionRepository.silentLogger,
        _ body: (PostgresRevisionRepository) async throws -> Result
    ) async throws -> Result {
        // A failure to connect is said to be the replica's: its URL often differs from the primary's by a port alone.
        try await open(
            url, typed: typed, variable: "MARGIN_DATABASE_REPLICA", migrating: false, logger: logger,
            connectionFailure: { MarginCLIError.unusableReplica(reason: "\($0)") }, body)
    }

    private func open<Result: Sendable>(
        _ url: String, typed: String?, variable: String, migrating: Bool, logger: Logger,
        connectionFailure: (any Error) -> any Error = { $0 },
        _ body: (PostgresRevisionRepository) async throws -> Result
    ) async throws -> Result {
        if Self.hasPassword(url, onCommandLine: typed) {
            Console.current.printError(
                "warning: the database password is on the command line, where shell history and process lists show it; put the URL in $\(variable) instead.")
        }
        // One plain connection first, so that a wrong password or a missing database is reported at once, in
        // PostgreSQL's words.
        do {
            try await PostgresDatabaseURL.checkConnection(to: url)
        } catch {
            throw connectionFailure(error)
        }
        return try await PostgresRevisionRepository.withRepository(
            url: url, maximumConnections: connections, connectionWait: .seconds(connectionWait),
            workLimit: .seconds(workLimit), migrating: migrating, logger: logger, body)
    }

    /// True when `url` carries a password and came from `typed`, an option on the command line.
    static func hasPassword(_ url: String, onCommandLine typed: String?) -> Bool {
        guard url == typed, let components = URLComponents(string: url) else { return false }
        return components.percentEncodedPassword?.isEmpty == false
    }
}
