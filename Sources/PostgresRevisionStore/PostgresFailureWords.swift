import _ConnectionPoolModule
import Foundation
import NIOCore
import NIOPosix
import PostgresNIO

/// Plain words for why PostgreSQL could not serve: what a person running `margin serve` reads, in place of the
/// nested debug descriptions of postgres-nio and NIO ("PSQLError(code: connectionError, underlying: …)").
///
/// PostgreSQL's own message wins when there is one ("database … does not exist"). A failure to connect names the
/// address tried and the system's reason ("cannot connect to 127.0.0.1:5432: Connection refused").
enum PostgresFailureWords {
    /// The words for a connection PostgreSQL closed (or that closed under the work, as the pool found it).
    static let closedConnection = "PostgreSQL closed the connection"

    /// The words for `error`, met while reaching or using PostgreSQL.
    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as PSQLError:
            return describe(error)
        case let error as ConnectionPoolError:
            return describe(error)
        default:
            return connectionFailure(error) ?? String(describing: error)
        }
    }

    static func describe(_ error: PSQLError) -> String {
        if let message = error.serverInfo?[.message] { return message }
        switch error.code {
        case .connectionError:
            return error.underlying.flatMap { connectionFailure($0) } ?? "the connection to PostgreSQL failed"
        case .serverClosedConnection:
            return closedConnection
        case .uncleanShutdown:
            return "the connection to PostgreSQL ended without a clean shutdown"
        case .clientClosedConnection:
            return "the connection to PostgreSQL was closed"
        case .poolClosed:
            return "the connection pool is shut down"
        case .sslUnsupported:
            return "the PostgreSQL server does not offer TLS, which the URL's sslmode requires"
        case .failedToAddSSLHandler, .receivedUnencryptedDataAfterSSLRequest:
            return "TLS to PostgreSQL could not be set up"
        case .authMechanismRequiresPassword:
            return "PostgreSQL asks for a password, and the URL gives none"
        case .unsupportedAuthMechanism, .saslError:
            return "PostgreSQL asks for a way of signing in that margin does not support (use password or scram-sha-256)"
        default:
            return String(reflecting: error)
        }
    }

    static func describe(_ error: ConnectionPoolError) -> String {
        switch error {
        case .connectionCreationCircuitBreakerTripped:
            "connecting to PostgreSQL has kept failing, and the pool waits before it tries again"
        case .poolShutdown:
            "the connection pool is shut down"
        case .requestCancelled:
            "the wait for a connection was cancelled"
        default:
            String(describing: error)
        }
    }

    /// The words for a failure to open a connection, or nil when `error` is not one NIO reports.
    static func connectionFailure(_ error: any Error) -> String? {
        switch error {
        case let error as NIOConnectionError:
            if let failure = error.connectionErrors.first {
                return "cannot connect to \(address(failure.target, or: error)): \(reason(failure.error))"
            }
            if (error.dnsAError ?? error.dnsAAAAError) != nil {
                return "cannot find the address of \(error.host)"
            }
            return "cannot connect to \(error.host):\(error.port)"
        case is IOError, ChannelError.connectTimeout:
            return reason(error)
        default:
            return nil
        }
    }

    /// The system's reason a connection could not be made, when `error` is a failure to connect (for a Unix socket,
    /// whose path the caller names itself).
    static func connectionFailure(of error: any Error) -> String? {
        guard let error = error as? PSQLError, error.code == .connectionError, error.serverInfo == nil,
            let underlying = error.underlying, underlying is IOError || underlying is ChannelError
        else { return nil }
        return reason(underlying)
    }

    /// "127.0.0.1:5432", or the path of a Unix socket.
    private static func address(_ target: SocketAddress, or error: NIOConnectionError) -> String {
        if let path = target.pathname { return path }
        guard let ip = target.ipAddress, let port = target.port else { return "\(error.host):\(error.port)" }
        return target.protocol == .inet6 ? "[\(ip)]:\(port)" : "\(ip):\(port)"
    }

    /// The system's words for an I/O error ("Connection refused"), else the error's own description.
    private static func reason(_ error: any Error) -> String {
        if let error = error as? IOError { return String(cString: strerror(error.errnoCode)) }
        if case ChannelError.connectTimeout = error { return "connecting timed out" }
        return String(describing: error)
    }
}
