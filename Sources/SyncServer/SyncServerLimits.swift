import Foundation

/// What the server grants one client, so that a slow, stalled or greedy client cannot hold the server's connections,
/// memory or time. Every limit has a default that suits a team's server; `margin serve` has an option for each.
///
/// A client that breaks a time limit is disconnected; one that meets a busy server (too many requests in flight,
/// too many request bodies in memory, too many connections) is answered 503 `unavailable` with `Retry-After`.
public struct SyncServerLimits: Sendable, Equatable {
    /// The whole head of a request (request line and headers) must arrive within this time of the connection opening.
    public var headerTimeout: Duration
    /// The longest wait for the next bytes of a request body, and the grace before ``minimumBodyBytesPerSecond``
    /// applies.
    public var bodyTimeout: Duration
    /// After ``bodyTimeout``, a request body must keep arriving at this average rate, measured from the end of the
    /// head; a client trickling its body more slowly is disconnected.
    public var minimumBodyBytesPerSecond: Int
    /// A kept-alive connection with no request in progress is closed after this time (the next request's whole head
    /// must arrive within it).
    public var idleTimeout: Duration
    /// The most connections open at once; a connection beyond it is answered 503 and closed at once.
    public var maxConnections: Int
    /// The most requests being handled at once (health checks aside); one more is answered 503 with `Retry-After`.
    public var maxConcurrentRequests: Int
    /// The most bytes of request bodies held in memory at once, across all requests; a request whose body would pass
    /// it is answered 503 with `Retry-After` (a body of any allowed size is accepted when nothing else is in memory,
    /// and one of 16 KiB or less, such as a pull request, always is).
    public var maxBodyBytesInFlight: Int
    /// The most origins a version vector in a request may name; a larger one is refused with 400.
    public var maxVectorEntries: Int
    /// On SIGTERM or SIGINT, requests in flight get this long to finish; then their connections are closed.
    public var shutdownTimeout: Duration

    /// Makes limits; every argument defaults to the documented default.
    public init(
        headerTimeout: Duration = Self.defaultHeaderTimeout,
        bodyTimeout: Duration = Self.defaultBodyTimeout,
        minimumBodyBytesPerSecond: Int = Self.defaultMinimumBodyBytesPerSecond,
        idleTimeout: Duration = Self.defaultIdleTimeout,
        maxConnections: Int = Self.defaultMaxConnections,
        maxConcurrentRequests: Int = Self.defaultMaxConcurrentRequests,
        maxBodyBytesInFlight: Int = Self.defaultMaxBodyBytesInFlight,
        maxVectorEntries: Int = Self.defaultMaxVectorEntries,
        shutdownTimeout: Duration = Self.defaultShutdownTimeout
    ) {
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.minimumBodyBytesPerSecond = minimumBodyBytesPerSecond
        self.idleTimeout = idleTimeout
        self.maxConnections = maxConnections
        self.maxConcurrentRequests = maxConcurrentRequests
        self.maxBodyBytesInFlight = maxBodyBytesInFlight
        self.maxVectorEntries = maxVectorEntries
        self.shutdownTimeout = shutdownTimeout
    }

    // MARK: - Defaults

    /// 10 seconds for a request's head.
    public static let defaultHeaderTimeout: Duration = .seconds(10)
    /// 10 seconds without body bytes, and the grace before the minimum rate applies.
    public static let defaultBodyTimeout: Duration = .seconds(10)
    /// 1,024 bytes a second: far below any working network, far above a client holding a connection on purpose.
    public static let defaultMinimumBodyBytesPerSecond = 1024
    /// 60 seconds for an idle kept-alive connection.
    public static let defaultIdleTimeout: Duration = .seconds(60)
    /// 512 connections: well inside the usual limit of 1,024 open files, so the server always has descriptors left
    /// for its store and for answering.
    public static let defaultMaxConnections = 512
    /// 64 requests handled at once.
    public static let defaultMaxConcurrentRequests = 64
    /// 16 MiB of request bodies in memory at once (one largest push, or many small ones).
    public static let defaultMaxBodyBytesInFlight = 16 * 1024 * 1024
    /// 10,000 origins: a vector names one per store that ever wrote, far fewer for any team.
    public static let defaultMaxVectorEntries = 10_000
    /// 10 seconds to finish requests in flight on shutdown.
    public static let defaultShutdownTimeout: Duration = .seconds(10)

    /// The largest body a `POST /v1/sync` request needs: its vector at the limit, plus room for the other fields.
    /// Pull requests are held to it, so that only pushes (which need a write token) may send large bodies.
    public var maxSyncRequestBytes: Int { 64 * 1024 + maxVectorEntries * 48 }
}
