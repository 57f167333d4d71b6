import Foundation
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
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw RawHTTPError("socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(listener, 16) == 0 else {
            close(listener)
            throw RawHTTPError("cannot listen: \(String(cString: strerror(errno)))")
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        self.listener = listener
        self.port = Int(UInt16(bigEndian: actual.sin_port))
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
