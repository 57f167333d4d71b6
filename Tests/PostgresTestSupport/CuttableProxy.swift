import Dispatch
import Foundation
import MarginTestSupport
import Synchronization

/// A TCP relay on 127.0.0.1 in front of another local port (PostgreSQL's), which a test can cut and restore, so that
/// a server over it meets a database that goes away: ``cut()`` ends every relayed connection and refuses new ones
/// (accepted, then closed at once), without giving up the port; ``restore()`` relays new connections again.
public final class CuttableProxy: Sendable {
    /// The port the relay listens on.
    public var port: Int { listener.port }
    private let relays: Relays
    private let listener: LoopbackListener

    /// Listens on a free port of 127.0.0.1 and relays each connection to `targetPort` on 127.0.0.1.
    public init(targetPort: Int) throws {
        let relays = Relays(target: targetPort)
        self.relays = relays
        listener = try LoopbackListener(backlog: 64) { client in relays.accepted(client) }
    }

    /// A relay in front of the server of the database URL `url` (on 127.0.0.1, as the tests' cluster is), and the
    /// same URL through the relay.
    public static func inFront(of url: String) throws -> (proxy: CuttableProxy, url: String) {
        guard var components = URLComponents(string: url), components.host == "127.0.0.1", let port = components.port
        else { throw ProxyError("not a database URL on 127.0.0.1 with a port: \(url)") }
        let proxy = try CuttableProxy(targetPort: port)
        components.port = proxy.port
        guard let relayed = components.string else { throw ProxyError("cannot rebuild \(url)") }
        return (proxy, relayed)
    }

    /// Ends every relayed connection and refuses new ones until ``restore()``; returns how many connections it ended.
    @discardableResult
    public func cut() -> Int { relays.cut() }

    /// Relays new connections again.
    public func restore() { relays.restore() }

    /// Connections relayed so far, and connections refused while cut.
    public var counts: (relayed: Int, refused: Int) { relays.counts }

    /// Stops listening and ends every relayed connection.
    public func stop() {
        relays.cut()
        listener.stop()
    }
}

/// The relay's connections: what it accepts, relays or refuses, and cuts.
private final class Relays: Sendable {
    private let target: Int
    private let state = Mutex(State())

    private struct State {
        var isCut = false
        /// The sockets of the relayed connections that are still open, both ends.
        var open: Set<Int32> = []
        var relayed = 0
        var refused = 0
    }

    init(target: Int) {
        self.target = target
    }

    @discardableResult
    func cut() -> Int {
        state.withLock { state in
            state.isCut = true
            // Under the lock: a socket in `open` is not closed yet (see `closed(_:)`), so its number is still ours.
            for socket in state.open { shutdown(socket, Int32(SHUT_RDWR)) }
            return state.open.count / 2
        }
    }

    func restore() {
        state.withLock { $0.isCut = false }
    }

    var counts: (relayed: Int, refused: Int) {
        state.withLock { ($0.relayed, $0.refused) }
    }

    /// Relays `client` to the target, or closes it at once while cut.
    func accepted(_ client: Int32) {
        let refuse = state.withLock { state in
            if state.isCut { state.refused += 1 }
            return state.isCut
        }
        if refuse {
            close(client)
            return
        }
        let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = LoopbackSocket.address(port: target)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard upstream >= 0, connected == 0 else {
            if upstream >= 0 { close(upstream) }
            close(client)
            return
        }
        state.withLock { state in
            state.open.formUnion([client, upstream])
            state.relayed += 1
        }
        let pair = RelayedPair(client: client, upstream: upstream, relays: self)
        Thread { pair.pump(from: client, to: upstream) }.start()
        Thread { pair.pump(from: upstream, to: client) }.start()
    }

    /// Called by a pair when both directions have ended: its sockets are closed, once.
    fileprivate func closed(_ sockets: [Int32]) {
        state.withLock { state in
            for socket in sockets {
                state.open.remove(socket)
                close(socket)
            }
        }
    }
}

/// One relayed connection: two sockets, two pumps; the second pump to end closes both sockets.
private final class RelayedPair: Sendable {
    let client: Int32
    let upstream: Int32
    let relays: Relays
    private let ended = Atomic<Int>(0)

    init(client: Int32, upstream: Int32, relays: Relays) {
        self.client = client
        self.upstream = upstream
        self.relays = relays
    }

    func pump(from source: Int32, to destination: Int32) {
        var buffer = [UInt8](repeating: 0, count: 65536)
        pumping: while true {
            let count = recv(source, &buffer, buffer.count, 0)
            if count <= 0 { break }
            var sent = 0
            while sent < count {
                let written = buffer[sent..<count].withUnsafeBytes {
                    send(destination, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
                }
                if written <= 0 { break pumping }
                sent += written
            }
        }
        // The other direction ends too: its recv returns once both sockets are shut down.
        shutdown(client, Int32(SHUT_RDWR))
        shutdown(upstream, Int32(SHUT_RDWR))
        if ended.add(1, ordering: .acquiringAndReleasing).newValue == 2 { relays.closed([client, upstream]) }
    }
}

/// A failure to set the relay up.
public struct ProxyError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
