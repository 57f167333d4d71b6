import Foundation
import MarginTestSupport
import Synchronization

/// A TCP listener on 127.0.0.1 that answers every connection with a reset: it waits for the first bytes of the
/// request, then closes with a zero linger, so the client reads ECONNRESET, as it may from a TLS server sent plain HTTP.
final class ResettingListener: Sendable {
    /// The port it listens on.
    let port: Int
    private let listener: Int32
    private let stopped = Atomic<Bool>(false)
    private let resets = Atomic<Int>(0)
    private let acceptEnded = DispatchSemaphore(value: 0)

    init() throws {
        let (listener, port) = try LoopbackSocket.bound(listening: 16)
        self.listener = listener
        self.port = port
        Thread { [self] in acceptLoop() }.start()
    }

    /// How many connections were reset so far.
    var resetCount: Int { resets.load(ordering: .relaxed) }

    /// Stops listening; the listener is closed once the accept loop has ended.
    func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        acceptEnded.wait()
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if stopped.load(ordering: .acquiring) {
                if client >= 0 { close(client) }
                acceptEnded.signal()
                return
            }
            guard client >= 0 else { continue }
            // Reads a little and leaves the rest unread, then resets.
            var buffer = [UInt8](repeating: 0, count: 16)
            _ = recv(client, &buffer, buffer.count, 0)
            var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
            setsockopt(client, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
            close(client)
            resets.add(1, ordering: .relaxed)
        }
    }
}
