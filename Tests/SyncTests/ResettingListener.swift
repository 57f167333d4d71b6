import Foundation
import MarginTestSupport
import Synchronization

/// A TCP listener on 127.0.0.1 that answers every connection with a reset: it waits for the first bytes of the
/// request, then closes with a zero linger, so the client reads ECONNRESET, as it may from a TLS server sent plain HTTP.
final class ResettingListener: Sendable {
    private let listener: LoopbackListener
    private let resets: ResetCount

    init() throws {
        let resets = ResetCount()
        listener = try LoopbackListener(backlog: 16) { client in
            // Reads a little and leaves the rest unread, then resets.
            var buffer = [UInt8](repeating: 0, count: 16)
            _ = recv(client, &buffer, buffer.count, 0)
            var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
            setsockopt(client, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
            close(client)
            resets.count.add(1, ordering: .relaxed)
        }
        self.resets = resets
    }

    /// The port it listens on.
    var port: Int { listener.port }

    /// How many connections were reset so far.
    var resetCount: Int { resets.count.load(ordering: .relaxed) }

    /// Stops listening.
    func stop() { listener.stop() }
}

/// How many connections a ``ResettingListener`` reset.
private final class ResetCount: Sendable {
    let count = Atomic<Int>(0)
}
