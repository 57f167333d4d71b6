import Foundation

/// A plain TCP connection to a test server on 127.0.0.1, for sending requests byte by byte the way no HTTP client
/// would: unfinished heads, trickled bodies, chunked bodies that never end.
final class RawHTTPConnection {
    let socket: Int32

    /// Connects to `port` on 127.0.0.1.
    init(port: Int) throws {
        socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw RawHTTPError("socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            // No close here: the object is whole, so `deinit` runs and closes the socket. Closing it twice could
            // close a descriptor the server in this process has been given since, which NIO rightly traps on.
            throw RawHTTPError("connect() failed: \(String(cString: strerror(errno)))")
        }
    }

    deinit { close(socket) }

    /// Sends all of `bytes`; false when the server has closed the connection.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Foundation.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count <= 0 { return false }
            sent += count
        }
        return true
    }

    @discardableResult
    func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    /// What a wait for the server gave.
    enum Outcome: Equatable {
        /// The server closed the connection (or reset it); `bytes` is what it sent before.
        case closed(bytes: [UInt8])
        /// Nothing more came within the wait; `bytes` is what came.
        case open(bytes: [UInt8])
    }

    /// Reads until the server closes the connection or `seconds` pass without it closing.
    func readUntilClosed(within seconds: Double) -> Outcome {
        let end = Date().addingTimeInterval(seconds)
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let left = end.timeIntervalSinceNow
            if left <= 0 { return .open(bytes: received) }
            var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Int32(min(left, 1) * 1000))
            if ready <= 0 { continue }
            let count = recv(socket, &buffer, buffer.count, 0)
            if count <= 0 { return .closed(bytes: received) }
            received += buffer[0..<count]
        }
    }

    /// Reads one response that carries `Content-Length` (head and body), or nil when the connection closes first or
    /// `seconds` pass.
    func readResponse(within seconds: Double) -> RawHTTPResponse? {
        let end = Date().addingTimeInterval(seconds)
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while end.timeIntervalSinceNow > 0 {
            if let response = RawHTTPResponse(parsing: received) { return response }
            var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            if poll(&descriptor, 1, 200) <= 0 { continue }
            let count = recv(socket, &buffer, buffer.count, 0)
            if count <= 0 { return RawHTTPResponse(parsing: received) }
            received += buffer[0..<count]
        }
        return nil
    }
}

/// A response read off a ``RawHTTPConnection``.
struct RawHTTPResponse {
    var status: Int
    var head: String
    var body: String

    init?(parsing bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { return nil }
        head = String(text[..<split.lowerBound])
        let parts = head.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, let status = Int(parts[1]) else { return nil }
        self.status = status
        let length = head.split(separator: "\r\n")
            .first { $0.lowercased().hasPrefix("content-length:") }
            .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
        let rest = Array(bytes[(text[..<split.upperBound].utf8.count)...])
        guard rest.count >= length else { return nil }
        body = String(decoding: rest.prefix(length), as: UTF8.self)
    }

    /// The value of a header, by case-insensitive name.
    func header(_ name: String) -> String? {
        head.split(separator: "\r\n").dropFirst()
            .first { $0.lowercased().hasPrefix(name.lowercased() + ":") }
            .map { String($0.drop { $0 != ":" }.dropFirst()).trimmingCharacters(in: .whitespaces) }
    }
}

struct RawHTTPError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension RawHTTPConnection {
    /// A complete `GET /v1/health` on a kept-alive connection.
    static let healthRequest = "GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"

    /// A complete POST with a JSON body.
    static func post(_ path: String, body: [UInt8], token: String? = nil) -> [UInt8] {
        var head = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n"
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        return Array((head + "\r\n").utf8) + body
    }

    /// Opens a connection, asks for health and returns the status (nil when no answer came within `seconds`).
    static func healthStatus(port: Int, within seconds: Double = 10) -> Int? {
        guard let connection = try? RawHTTPConnection(port: port), connection.send(healthRequest) else { return nil }
        return connection.readResponse(within: seconds)?.status
    }
}
