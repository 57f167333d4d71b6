import Foundation
import Synchronization

/// A TCP listener on a free port of 127.0.0.1 whose accept loop runs on a thread of its own and hands each accepted
/// connection to `accepted`, which owns (and closes) it. ``stop()`` ends the loop before the listener is closed, so
/// the loop never accepts on a descriptor the process has since given to something else.
public final class LoopbackListener: Sendable {
    /// The port it listens on.
    public let port: Int
    private let listener: Int32
    private let accepted: @Sendable (Int32) -> Void
    private let stopped = Atomic<Bool>(false)
    /// Signalled when the accept loop has ended, so that the listener is closed only then.
    private let loopEnded = DispatchSemaphore(value: 0)

    /// Listens with `backlog` and starts accepting.
    public init(backlog: Int32, accepted: @escaping @Sendable (Int32) -> Void) throws {
        (listener, port) = try LoopbackSocket.bound(listening: backlog)
        self.accepted = accepted
        Thread { [self] in acceptLoop() }.start()
    }

    /// Stops accepting and closes the listener; waits for the loop to end. Calling it again does nothing.
    public func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        // Wakes the accept loop; the listener is closed once the loop has ended.
        shutdown(listener, Int32(SHUT_RDWR))
        loopEnded.wait()
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if stopped.load(ordering: .acquiring) {
                if client >= 0 { close(client) }
                loopEnded.signal()
                return
            }
            if client >= 0 { accepted(client) }
        }
    }
}
