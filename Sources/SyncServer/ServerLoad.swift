import Foundation

/// Counts what the server holds at once, shared by every connection: open connections, requests being handled and
/// bytes of request bodies in memory. Each `enter…` that succeeds must be paired with its `leave…`.
final class ServerLoad: @unchecked Sendable {
    let limits: SyncServerLimits
    private let lock = NSLock()
    private var connections = 0
    private var requests = 0
    private var bodyBytes = 0

    init(limits: SyncServerLimits) {
        self.limits = limits
    }

    /// Counts a new connection; false (and nothing counted) when ``SyncServerLimits/maxConnections`` are open.
    func enterConnection() -> Bool {
        lock.withLock {
            guard connections < limits.maxConnections else { return false }
            connections += 1
            return true
        }
    }

    func leaveConnection() {
        lock.withLock { connections -= 1 }
    }

    /// Counts a request; false when ``SyncServerLimits/maxConcurrentRequests`` are being handled.
    func enterRequest() -> Bool {
        lock.withLock {
            guard requests < limits.maxConcurrentRequests else { return false }
            requests += 1
            return true
        }
    }

    func leaveRequest() {
        lock.withLock { requests -= 1 }
    }

    /// Bodies this small (every pull request of a team's store) are always admitted, so that one large push being
    /// decoded does not turn pulls away; at most ``SyncServerLimits/maxConcurrentRequests`` of them are in memory.
    static let alwaysAdmittedBodyBytes = 16 * 1024

    /// Reserves room for a body of `bytes`; false when it would pass ``SyncServerLimits/maxBodyBytesInFlight`` while
    /// other bodies are in memory (alone, a body of any size the server accepts fits; a small one always fits).
    func reserveBody(_ bytes: Int) -> Bool {
        lock.withLock {
            guard bytes <= Self.alwaysAdmittedBodyBytes || bodyBytes == 0
                || bodyBytes + bytes <= limits.maxBodyBytesInFlight
            else { return false }
            bodyBytes += bytes
            return true
        }
    }

    func releaseBody(_ bytes: Int) {
        lock.withLock { bodyBytes -= bytes }
    }
}
