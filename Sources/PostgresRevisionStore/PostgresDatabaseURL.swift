import Foundation
import Logging
import NIOSSL
import PostgresNIO

/// A PostgreSQL connection URL, as `margin serve --database` takes it, read into a client configuration.
///
/// `postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?PARAMETERS]` (or `postgres://`), with percent-escapes in the
/// user, password and database. Parameters, as libpq reads them:
/// - `sslmode`: `disable`; `prefer` (the default: TLS when the server offers it); `require` (TLS, certificate not
///   checked); `verify-full` (TLS with the certificate checked against the system's roots and the host name).
/// - `host`: a folder holding the server's Unix socket (`.s.PGSQL.PORT`), instead of TCP to HOST.
///
/// ```swift
/// let configuration = try PostgresDatabaseURL.configuration(from: "postgresql://margin@127.0.0.1:5432/margin")
/// ```
public enum PostgresDatabaseURL {
    /// The client configuration the URL names. Throws ``PostgresRevisionStoreError`` (`.invalidURL`, without the
    /// password) when it cannot be read.
    public static func configuration(from text: String) throws -> PostgresClient.Configuration {
        try parts(of: text).clientConfiguration
    }

    /// The longest URL taken, in bytes: far above any real one, and short enough to repeat in an error.
    public static let maximumLength = 4096

    static func parts(of text: String) throws -> Parts {
        guard text.utf8.count <= maximumLength else {
            // Not repeated: it may hold a password, and the sentence would be as long as the URL.
            throw PostgresRevisionStoreError(.invalidURL(
                "\(text.prefix(while: { $0 != ":" }).prefix(16))://…",
                reason: "it is \(text.utf8.count) bytes long, and a database URL may be at most \(maximumLength)"))
        }
        let shown = redacted(text)
        func invalid(_ reason: String) -> PostgresRevisionStoreError {
            PostgresRevisionStoreError(.invalidURL(shown, reason: reason))
        }
        // PostgreSQL's startup message carries names as C strings: a NUL would cut one short.
        func checked(_ value: String?, _ part: String) throws -> String? {
            if value?.contains("\0") == true { throw invalid("its \(part) contains a NUL character") }
            return value
        }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw invalid("it is not a URL")
        }
        guard scheme == "postgresql" || scheme == "postgres" else {
            throw invalid("its scheme is \(scheme), not postgresql")
        }
        guard let user = try checked(components.percentEncodedUser.flatMap({ $0.removingPercentEncoding }), "user"),
              !user.isEmpty
        else {
            throw invalid("it names no user (postgresql://USER@HOST/DATABASE)")
        }
        let password = try checked(components.percentEncodedPassword.flatMap { $0.removingPercentEncoding }, "password")
        let path = components.percentEncodedPath.dropFirst()
        guard let database = try checked(String(path).removingPercentEncoding, "database name"), !database.isEmpty,
              !database.contains("/")
        else {
            throw invalid("it names no database (postgresql://USER@HOST/DATABASE)")
        }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else { throw invalid("its port \(port) is out of range") }
        var parameters: [String: String] = [:]
        for item in components.queryItems ?? [] { parameters[item.name] = try checked(item.value, "parameter \(item.name)") ?? "" }

        if let socketFolder = parameters["host"], socketFolder.hasPrefix("/") {
            let socket = (socketFolder as NSString).appendingPathComponent(".s.PGSQL.\(port)")
            return Parts(user: user, password: password, database: database, endpoint: .socket(socket))
        }
        guard let host = try checked(components.host, "host"), !host.isEmpty else {
            throw invalid("it names no host (postgresql://USER@HOST/DATABASE, or ?host=/socket/folder)")
        }
        let tls: Parts.TLS
        switch parameters["sslmode"] ?? "prefer" {
        case "disable":
            tls = .disable
        case "prefer", "allow":
            var unchecked = TLSConfiguration.makeClientConfiguration()
            unchecked.certificateVerification = .none
            tls = .prefer(unchecked)
        case "require":
            var unchecked = TLSConfiguration.makeClientConfiguration()
            unchecked.certificateVerification = .none
            tls = .require(unchecked)
        case "verify-full":
            tls = .require(.makeClientConfiguration())
        case let other:
            throw invalid("sslmode \(other) is not one of disable, prefer, require, verify-full")
        }
        // URLComponents keeps the brackets of an IPv6 literal.
        let bareHost = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        return Parts(user: user, password: password, database: database, endpoint: .tcp(host: bareHost, port: port, tls: tls))
    }

    /// What a URL names, from which both a pooled client's and a single connection's configuration are made.
    struct Parts {
        enum TLS {
            case disable
            case prefer(TLSConfiguration)
            case require(TLSConfiguration)
        }

        enum Endpoint {
            case tcp(host: String, port: Int, tls: TLS)
            case socket(String)
        }

        var user: String
        var password: String?
        var database: String
        var endpoint: Endpoint

        var clientConfiguration: PostgresClient.Configuration {
            switch endpoint {
            case let .socket(path):
                return PostgresClient.Configuration(unixSocketPath: path, username: user, password: password, database: database)
            case let .tcp(host, port, tls):
                let clientTLS: PostgresClient.Configuration.TLS = switch tls {
                case .disable: .disable
                case let .prefer(configuration): .prefer(configuration)
                case let .require(configuration): .require(configuration)
                }
                return PostgresClient.Configuration(
                    host: host, port: port, username: user, password: password, database: database, tls: clientTLS)
            }
        }

        func connectionConfiguration() throws -> PostgresConnection.Configuration {
            switch endpoint {
            case let .socket(path):
                return PostgresConnection.Configuration(unixSocketPath: path, username: user, password: password, database: database)
            case let .tcp(host, port, tls):
                let connectionTLS: PostgresConnection.Configuration.TLS = switch tls {
                case .disable: .disable
                case let .prefer(configuration): .prefer(try NIOSSLContext(configuration: configuration))
                case let .require(configuration): .require(try NIOSSLContext(configuration: configuration))
                }
                return PostgresConnection.Configuration(
                    host: host, port: port, username: user, password: password, database: database, tls: connectionTLS)
            }
        }
    }

    /// Connects once, outside any pool, and closes again: throws ``PostgresRevisionStoreError`` (`.database`) with
    /// PostgreSQL's own reason (a wrong password, a database that does not exist, nothing listening) at once, where a
    /// pool would keep retrying in the background and end up reporting only that it gave up.
    public static func checkConnection(to text: String) async throws {
        let parts = try parts(of: text)
        let configuration = try parts.connectionConfiguration()
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(
                configuration: configuration, id: 0, logger: Logger(label: "margin.postgres", factory: { _ in SwiftLogNoOpLogHandler() }))
        } catch {
            // A socket that could not be reached is named: the system's reason alone ("No such file or directory")
            // does not say which file.
            if case let .socket(path) = parts.endpoint, let reason = PostgresFailureWords.connectionFailure(of: error) {
                throw PostgresRevisionStoreError(.unreachable("cannot connect to the socket \(path): \(reason)"))
            }
            throw PostgresRevisionRepository.storeError(from: error)
        }
        try? await connection.close()
    }

    /// The URL with its password replaced by `***`, for messages and logs.
    public static func redacted(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.percentEncodedPassword != nil else { return text }
        components.percentEncodedPassword = "***"
        return components.string ?? text
    }
}
