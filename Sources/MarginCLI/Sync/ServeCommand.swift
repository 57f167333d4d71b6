import ArgumentParser
import Foundation
import Hummingbird
import Logging
import MarginCore
import NIOCore
import PostgresRevisionStore
import StoreSyncBackend
import SyncBackend
import SyncServer

/// `margin serve`: serve this store to peers over HTTP.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve this store so that peers can sync with it over HTTP.",
        discussion: """
            Listens on 127.0.0.1:8080 by default and runs until interrupted (Ctrl-C or SIGTERM), finishing requests \
            in flight. Without tokens or accounts anyone who can reach the address may pull and push. For a team, \
            give each person an account with `margin user add NAME [--read-only]` on this store: the server checks \
            every request against the accounts, so `margin user revoke NAME` takes effect at once. For one person, \
            --token-file (or --token and --read-token) is enough; both kinds of token are accepted together. With \
            --tls-cert and --tls-key the server speaks HTTPS only, so tokens never cross the network in clear text.

            With --database postgresql://… (or $MARGIN_DATABASE) the server keeps revisions, signatures and accounts \
            in PostgreSQL instead of the store folder, and any number of `margin serve` processes over the same \
            database serve the same data, for example behind a load balancer. Accounts are then managed with \
            `margin user … --database URL`. With --database-replica postgresql://… (or $MARGIN_DATABASE_REPLICA), \
            pulls are answered from that read replica (a streaming standby of the database), and pushes and accounts \
            from --database: a pull may then miss the newest revisions until the replica has them, and the next pull \
            brings them. A replica that cannot be reached is passed over for 30 s, and the primary answers pulls. \
            With --replica-max-lag SECONDS, a pull is answered from the replica only while it lags behind the \
            primary by at most that (it must then be a streaming standby); the primary answers the others.
            """)

    @OptionGroup var store: StoreOptions

    @OptionGroup var database: DatabaseOptions

    @Option(
        name: .customLong("database-replica"),
        help: ArgumentHelp(
            "Answer pulls from this read replica of --database (a PostgreSQL standby): postgresql://USER@HOST[:PORT]/DATABASE (default: $MARGIN_DATABASE_REPLICA).",
            valueName: "url"))
    var databaseReplica: String?

    @Option(
        name: .customLong("replica-max-lag"),
        help: ArgumentHelp(
            "Answer a pull from --database-replica only while the replica lags behind --database by at most this many seconds; else from --database (default: no bound).",
            valueName: "seconds"))
    var replicaMaxLag: Double?

    @OptionGroup(title: "Limits") var limits: ServeLimitOptions

    @Option(name: .long, help: ArgumentHelp("The address to listen on.", valueName: "address"))
    var host = "127.0.0.1"

    @Option(name: .long, help: ArgumentHelp("The port to listen on; 0 picks a free port and prints it.", valueName: "port"))
    var port = 8080

    @Option(name: .long, help: ArgumentHelp("A bearer token that may pull and push (repeatable); it lands in shell history, so prefer --token-file or accounts.", valueName: "token"))
    var token: [String] = []

    @Option(name: .customLong("read-token"), help: ArgumentHelp("A bearer token that may only pull (repeatable).", valueName: "token"))
    var readToken: [String] = []

    @Option(
        name: .customLong("token-file"),
        help: ArgumentHelp("A file of tokens, one a line: TOKEN or `write TOKEN` may push, `read TOKEN` may only pull.", valueName: "file"))
    var tokenFile: String?

    @Option(
        name: .customLong("tls-cert"),
        help: ArgumentHelp("Serve HTTPS with this PEM certificate (chain), the server's own first; needs --tls-key.", valueName: "file"))
    var tlsCertificate: String?

    @Option(
        name: .customLong("tls-key"),
        help: ArgumentHelp("The PEM private key of the --tls-cert certificate (without a passphrase).", valueName: "file"))
    var tlsKey: String?

    @Option(name: .customLong("max-body-bytes"), help: ArgumentHelp("The largest request body accepted, in bytes (at least 8454144: one maximal revision).", valueName: "bytes"))
    var maxBodyBytes = 16 * 1024 * 1024

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535.") }
        guard maxBodyBytes >= RevisionLimits.maximumEncodedRevisionBytes else {
            throw ValidationError(
                "--max-body-bytes must be at least \(RevisionLimits.maximumEncodedRevisionBytes), so that the largest revision a peer may write always fits in one push.")
        }
        if token.contains("") || readToken.contains("") { throw ValidationError("Tokens must not be empty.") }
        if (tlsCertificate == nil) != (tlsKey == nil) {
            throw ValidationError("--tls-cert and --tls-key go together: give the certificate and its private key.")
        }
        if databaseReplica?.isEmpty == true {
            throw ValidationError("--database-replica needs a URL, e.g. --database-replica postgresql://margin@replica.example/margin.")
        }
        if let replicaMaxLag {
            guard replicaMaxLag > 0, replicaMaxLag <= 86_400 else {
                throw ValidationError("--replica-max-lag must be more than 0 and at most 86400 seconds (a day), e.g. --replica-max-lag 5.")
            }
            guard replicaURL != nil else {
                throw ValidationError("--replica-max-lag bounds how far --database-replica (or $MARGIN_DATABASE_REPLICA) may lag: give the replica too.")
            }
        }
        if replicaURL != nil, database.url == nil {
            throw ValidationError("--database-replica (or $MARGIN_DATABASE_REPLICA) needs --database (or $MARGIN_DATABASE): a replica answers pulls for a primary database.")
        }
    }

    /// The read replica's URL, if any: --database-replica, else $MARGIN_DATABASE_REPLICA.
    var replicaURL: String? {
        if let databaseReplica { return databaseReplica }
        guard let fromEnvironment = ProcessInfo.processInfo.environment["MARGIN_DATABASE_REPLICA"],
            !fromEnvironment.isEmpty
        else { return nil }
        return fromEnvironment
    }

    func run() async throws {
        let tls = try tlsCertificate.map { try TLSFiles.serverTLS(certificatePath: $0, keyPath: tlsKey ?? "") }
        var access = SyncAccess(writeTokens: Set(token), readTokens: Set(readToken))
        if let tokenFile {
            guard let text = String(data: try FileContents.read(tokenFile), encoding: .utf8) else {
                throw MarginCLIError.unreadableFile(tokenFile)
            }
            let fromFile = SyncAccess.parseTokenFile(text)
            if fromFile.isOpen { throw MarginCLIError.emptyTokenFile(tokenFile) }
            access.writeTokens.formUnion(fromFile.writeTokens)
            access.readTokens.formUnion(fromFile.readTokens)
        }
        var logger = Logger(label: "margin.serve")
        logger.logLevel = .info
        var settings = SyncServerConfiguration(
            host: host, port: port, access: access, maxBodyBytes: maxBodyBytes, logger: logger, tls: tls)
        settings.limits = limits.limits
        if let url = database.url {
            try await database.withRepository(url: url, logger: logger) { repository in
                guard let replicaURL else {
                    return try await serve(PostgresSyncBackend(repository), settings)
                }
                try await database.withReplica(url: replicaURL, typed: databaseReplica, logger: logger) { replica in
                    let backend = try await PostgresSyncBackend(
                        repository, replica: replica, replicaWait: .seconds(database.connectionWait),
                        replicaMaxLag: replicaMaxLag.map { .milliseconds(Int64(($0 * 1_000).rounded(.up))) })
                    logger.info(
                        "pulls are answered from the read replica \(PostgresDatabaseURL.redacted(replicaURL))\(replicaMaxLag.map { " while it lags by at most \($0) s" } ?? "")")
                    try await serve(backend, settings)
                }
            }
        } else {
            try await serve(EmbeddedSyncBackend(store.open(streaming: true, connections: .pool)), settings)
        }
    }

    /// Serves `backend` until interrupted.
    func serve(_ backend: some SyncBackend, _ configuration: SyncServerConfiguration) async throws {
        let console = Console.current
        let loopback = ["127.0.0.1", "localhost", "::1"].contains(host)
        if configuration.access.isOpen, try await !backend.hasAccounts(), !loopback {
            console.printError("warning: serving \(host) without a token or account: anyone who can reach it may read and write this store.")
        } else if configuration.tls == nil, !loopback {
            console.printError("warning: serving \(host) over plain HTTP, so tokens cross the network in clear text; serve HTTPS with --tls-cert and --tls-key.")
        }
        let host = self.host
        let application = buildApplication(backend: backend, configuration: configuration) { boundPort in
            console.print("listening on \(configuration.scheme)://\(host.contains(":") ? "[\(host)]" : host):\(boundPort)")
        }
        // runService stops gracefully on SIGINT and SIGTERM; every page is one transaction, so a stop never leaves
        // half a page behind.
        do {
            try await application.runService()
        } catch let error as IOError {
            throw MarginCLIError.cannotListen(host: host, port: port, reason: Self.reason(error))
        }
    }

    /// Why the address could not be used, in words.
    static func reason(_ error: IOError) -> String {
        switch error.errnoCode {
        case EADDRINUSE: "the port is in use by another program; choose another with --port, or --port 0 for a free one"
        case EACCES: "permission denied (ports below 1024 need privileges); choose a port above 1024"
        case EADDRNOTAVAIL: "this machine has no such address; use 127.0.0.1, or 0.0.0.0 for every interface"
        default: String(cString: strerror(error.errnoCode)).lowercased()
        }
    }
}
