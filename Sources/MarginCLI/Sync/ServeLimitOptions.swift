import ArgumentParser
import SyncServer

/// `margin serve`'s limits on what one client may hold: times, connections, requests and sizes. Every option's
/// default is the server's (see README, "Limits").
struct ServeLimitOptions: ParsableArguments {
    typealias Defaults = SyncServerLimits

    @Option(name: .customLong("header-timeout"), help: ArgumentHelp("Seconds for a request's whole head to arrive.", valueName: "seconds"))
    var headerTimeout: Double = Self.seconds(Defaults.defaultHeaderTimeout)

    @Option(name: .customLong("body-timeout"), help: ArgumentHelp("Seconds a request body may pause, and its grace before --min-body-rate applies.", valueName: "seconds"))
    var bodyTimeout: Double = Self.seconds(Defaults.defaultBodyTimeout)

    @Option(name: .customLong("min-body-rate"), help: ArgumentHelp("The slowest average a request body may arrive at, in bytes a second.", valueName: "bytes"))
    var minimumBodyRate: Int = Defaults.defaultMinimumBodyBytesPerSecond

    @Option(name: .customLong("idle-timeout"), help: ArgumentHelp("Seconds an idle kept-alive connection stays open.", valueName: "seconds"))
    var idleTimeout: Double = Self.seconds(Defaults.defaultIdleTimeout)

    @Option(name: .customLong("max-connections"), help: ArgumentHelp("The most connections open at once; keep it well below the open-file limit.", valueName: "count"))
    var maxConnections: Int = Defaults.defaultMaxConnections

    @Option(name: .customLong("max-requests"), help: ArgumentHelp("The most requests handled at once; more are answered 503.", valueName: "count"))
    var maxRequests: Int = Defaults.defaultMaxConcurrentRequests

    @Option(name: .customLong("max-body-bytes-in-flight"), help: ArgumentHelp("The most bytes of request bodies in memory at once; more are answered 503.", valueName: "bytes"))
    var maxBodyBytesInFlight: Int = Defaults.defaultMaxBodyBytesInFlight

    @Option(name: .customLong("max-vector-entries"), help: ArgumentHelp("The most origins a request's version vector may name.", valueName: "count"))
    var maxVectorEntries: Int = Defaults.defaultMaxVectorEntries

    @Option(name: .customLong("shutdown-timeout"), help: ArgumentHelp("Seconds requests in flight get to finish on SIGTERM or Ctrl-C.", valueName: "seconds"))
    var shutdownTimeout: Double = Self.seconds(Defaults.defaultShutdownTimeout)

    func validate() throws {
        for (value, flag) in [
            (headerTimeout, "--header-timeout"), (bodyTimeout, "--body-timeout"), (idleTimeout, "--idle-timeout"),
            (shutdownTimeout, "--shutdown-timeout"),
        ] where !(value > 0 && value <= 86_400) {
            throw ValidationError("\(flag) must be a number of seconds above 0 and at most 86400.")
        }
        for (value, flag) in [
            (maxConnections, "--max-connections"), (maxRequests, "--max-requests"),
            (maxVectorEntries, "--max-vector-entries"), (minimumBodyRate, "--min-body-rate"),
        ] where value < 1 {
            throw ValidationError("\(flag) must be at least 1.")
        }
        guard maxBodyBytesInFlight >= 1 else { throw ValidationError("--max-body-bytes-in-flight must be at least 1.") }
    }

    /// The limits these options describe.
    var limits: SyncServerLimits {
        SyncServerLimits(
            headerTimeout: .milliseconds(Int64(headerTimeout * 1000)), bodyTimeout: .milliseconds(Int64(bodyTimeout * 1000)),
            minimumBodyBytesPerSecond: minimumBodyRate, idleTimeout: .milliseconds(Int64(idleTimeout * 1000)),
            maxConnections: maxConnections, maxConcurrentRequests: maxRequests, maxBodyBytesInFlight: maxBodyBytesInFlight,
            maxVectorEntries: maxVectorEntries, shutdownTimeout: .milliseconds(Int64(shutdownTimeout * 1000)))
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
