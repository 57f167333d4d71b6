import AsyncSignals
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import ServiceLifecycle
import SyncBackend
import SyncProtocol

/// How to run a sync server.
public struct SyncServerConfiguration: Sendable {
    /// The address to listen on; 127.0.0.1 unless the store should be reachable from other machines.
    public var host: String
    /// The port; 0 picks a free one (see ``RunningSyncServer/port``).
    public var port: Int
    /// Who may pull and push besides the backend's accounts (see ``SyncBackend/account(presenting:)``).
    public var access: SyncAccess
    /// The largest request body accepted, in bytes.
    public var maxBodyBytes: Int
    /// The logger for requests and server events (tokens are never logged).
    public var logger: Logger
    /// TLS, when the server speaks HTTPS; nil for plain HTTP.
    public var tls: SyncServerTLS?
    /// Time, connection, request and size limits (see ``SyncServerLimits`` for the defaults).
    public var limits = SyncServerLimits()

    /// Makes a configuration.
    public init(
        host: String = "127.0.0.1", port: Int = 8080, access: SyncAccess = SyncAccess(),
        maxBodyBytes: Int = SyncPaging.defaultMaxBodyBytes, logger: Logger = Logger(label: "margin.serve"),
        tls: SyncServerTLS? = nil
    ) {
        self.host = host
        self.port = port
        self.access = access
        self.maxBodyBytes = maxBodyBytes
        self.logger = logger
        self.tls = tls
    }

    /// `https` when the server speaks TLS, else `http`.
    public var scheme: String { tls == nil ? "http" : "https" }
}

/// Builds the router: error translation, request logging and authentication around the sync routes.
public func buildRouter<Backend: SyncBackend>(
    backend: Backend, configuration: SyncServerConfiguration
) -> Router<BasicRequestContext> {
    buildRouter(backend: backend, configuration: configuration, load: ServerLoad(limits: configuration.limits))
}

func buildRouter<Backend: SyncBackend>(
    backend: Backend, configuration: SyncServerConfiguration, load: ServerLoad
) -> Router<BasicRequestContext> {
    let router = Router()
    router.add(middleware: ErrorBodyMiddleware())
    router.add(middleware: RequestLimitMiddleware(load: load))
    router.add(middleware: LogRequestsMiddleware(.info))
    router.add(middleware: BearerAuthMiddleware(access: configuration.access, accounts: backend))
    router.addRoutes(
        SyncController(backend: backend, maxBodyBytes: configuration.maxBodyBytes, load: load).routes())
    return router
}

/// Builds the sync server application; `onRunning` receives the bound port once the server listens.
public func buildApplication<Backend: SyncBackend>(
    backend: Backend, configuration: SyncServerConfiguration,
    onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let load = ServerLoad(limits: configuration.limits)
    return Application(
        router: buildRouter(backend: backend, configuration: configuration, load: load),
        server: serverBuilder(.limitedHTTP1(load: load), tls: configuration.tls),
        configuration: ApplicationConfiguration(
            address: .hostname(configuration.host, port: configuration.port), serverName: "marginalia"),
        onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? configuration.port) },
        logger: configuration.logger)
}

/// The HTTP/1.1 server, wrapped in TLS when `tls` is set.
func serverBuilder(_ http1: HTTPServerBuilder, tls: SyncServerTLS?) -> HTTPServerBuilder {
    guard let tls else { return http1 }
    // `SyncServerTLS` checked the configuration when it was made, so this does not throw; if it ever did, the server
    // would fail to start rather than fall back to plain HTTP.
    do {
        return try .tls(http1, tlsConfiguration: tls.configuration)
    } catch {
        return HTTPServerBuilder { _ in throw error }
    }
}

/// A sync server running inside this process (for `margin serve`'s tests, and for peers that serve their own store).
public final class RunningSyncServer: Sendable {
    /// The port the server listens on.
    public let port: Int
    /// The base URL of the server, e.g. `http://127.0.0.1:49152` (`https://` with TLS).
    public let url: String
    private let serviceGroup: ServiceGroup
    private let task: Task<Void, any Error>

    private init(port: Int, host: String, scheme: String, serviceGroup: ServiceGroup, task: Task<Void, any Error>) {
        self.port = port
        self.url = "\(scheme)://\(host):\(port)"
        self.serviceGroup = serviceGroup
        self.task = task
    }

    /// Starts serving and returns once the server listens.
    /// - Throws: when the address cannot be bound.
    public static func start<Backend: SyncBackend>(
        backend: Backend, configuration: SyncServerConfiguration
    ) async throws -> RunningSyncServer {
        // The bound port, or why binding failed.
        let ready = FirstOutcome<Result<Int, any Error>>()
        let application = buildApplication(backend: backend, configuration: configuration) { port in
            ready.settle(.success(port))
        }
        let serviceGroup = ServiceGroup(
            configuration: .init(services: [application], gracefulShutdownSignals: [], logger: configuration.logger))
        let task = Task {
            do {
                try await serviceGroup.run()
                ready.settle(.failure(SyncServerError(.unavailable, "The server stopped before it listened.")))
            } catch {
                ready.settle(.failure(error))
                throw error
            }
        }
        let port = try await ready.value().get()
        return RunningSyncServer(
            port: port, host: configuration.host, scheme: configuration.scheme, serviceGroup: serviceGroup, task: task)
    }

    /// Stops accepting requests, lets requests in flight finish, and returns when the server has stopped.
    public func stop() async {
        await serviceGroup.triggerGracefulShutdown()
        _ = try? await task.value
    }
}
