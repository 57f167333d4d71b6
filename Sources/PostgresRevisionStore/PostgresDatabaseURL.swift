import Foundation
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
        let shown = redacted(text)
        func invalid(_ reason: String) -> PostgresRevisionStoreError {
            PostgresRevisionStoreError(.invalidURL(shown, reason: reason))
        }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw invalid("it is not a URL")
        }
        guard scheme == "postgresql" || scheme == "postgres" else {
            throw invalid("its scheme is \(scheme), not postgresql")
        }
        guard let user = components.percentEncodedUser.flatMap({ $0.removingPercentEncoding }), !user.isEmpty else {
            throw invalid("it names no user (postgresql://USER@HOST/DATABASE)")
        }
        let password = components.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
        let path = components.percentEncodedPath.dropFirst()
        guard let database = String(path).removingPercentEncoding, !database.isEmpty, !database.contains("/") else {
            throw invalid("it names no database (postgresql://USER@HOST/DATABASE)")
        }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else { throw invalid("its port \(port) is out of range") }
        var parameters: [String: String] = [:]
        for item in components.queryItems ?? [] { parameters[item.name] = item.value ?? "" }

        if let socketFolder = parameters["host"], socketFolder.hasPrefix("/") {
            let socket = (socketFolder as NSString).appendingPathComponent(".s.PGSQL.\(port)")
            return PostgresClient.Configuration(
                unixSocketPath: socket, username: user, password: password, database: database)
        }
        guard let host = components.host, !host.isEmpty else {
            throw invalid("it names no host (postgresql://USER@HOST/DATABASE, or ?host=/socket/folder)")
        }
        let tls: PostgresClient.Configuration.TLS
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
        return PostgresClient.Configuration(
            host: bareHost, port: port, username: user, password: password, database: database, tls: tls)
    }

    /// The URL with its password replaced by `***`, for messages and logs.
    public static func redacted(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.percentEncodedPassword != nil else { return text }
        components.percentEncodedPassword = "***"
        return components.string ?? text
    }
}
