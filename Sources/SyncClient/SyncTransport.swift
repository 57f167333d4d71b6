import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import SyncProtocol

/// How the client talks to a server: bounded timeouts, and retries with backoff for transient failures.
public struct SyncTransportOptions: Sendable {
    /// The longest wait to open a connection.
    public var connectTimeout: Duration
    /// The longest a single request may take, response included.
    public var requestTimeout: Duration
    /// How many times a request is tried in all when it fails transiently (network down, 500/502/503/504).
    public var attempts: Int
    /// The wait before the first retry; each further retry waits twice as long.
    public var initialBackoff: Duration

    /// Makes options; the defaults suit a LAN or the internet.
    public init(
        connectTimeout: Duration = .seconds(5), requestTimeout: Duration = .seconds(60), attempts: Int = 3,
        initialBackoff: Duration = .milliseconds(250)
    ) {
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.attempts = max(1, attempts)
        self.initialBackoff = initialBackoff
    }
}

/// Sends protocol messages to one server over HTTP with AsyncHTTPClient.
final class SyncTransport: Sendable {
    let baseURL: String
    let token: String?
    let options: SyncTransportOptions
    let client: HTTPClient
    let logger: Logger

    /// The largest response accepted (a page is capped by the server well below this).
    static let maxResponseBytes = 256 * 1024 * 1024

    /// Makes a transport to the server at `baseURL`.
    /// - Parameter trustedCertificatePath: for an `https` URL, a PEM file of certificates to trust besides the
    ///   system's (a self-signed server's certificate, or the authority that signed it).
    init(
        baseURL: String, token: String?, trustedCertificatePath: String? = nil, options: SyncTransportOptions,
        logger: Logger
    ) throws {
        var trimmed = baseURL
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let url = URL(string: trimmed), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil
        else { throw SyncClientError(.invalidURL(baseURL)) }
        self.baseURL = trimmed
        self.token = token
        self.options = options
        self.logger = logger
        var configuration = HTTPClient.Configuration(
            timeout: .init(connect: .init(options.connectTimeout), read: .init(options.requestTimeout)))
        configuration.redirectConfiguration = .disallow
        if scheme == "https" {
            configuration.tlsConfiguration = try Self.clientTLS(trusting: trustedCertificatePath)
            // A failed handshake is not worth trying again until the request times out: the certificate will not
            // change in the meantime. The transport's own retries still cover a server that is restarting.
            configuration.connectionPool.retryConnectionEstablishment = false
        }
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    /// The client's TLS configuration: the system's trust store, plus the certificates of `path` if given.
    static func clientTLS(trusting path: String?) throws -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        guard let path else { return tls }
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMFile(path)
        } catch {
            let reason = FileManager.default.isReadableFile(atPath: path)
                ? "it holds no PEM certificate" : "it cannot be read"
            throw SyncClientError(.unusableTrustedCertificate(path: path, reason: reason))
        }
        guard !certificates.isEmpty else {
            throw SyncClientError(.unusableTrustedCertificate(path: path, reason: "it holds no PEM certificate"))
        }
        tls.additionalTrustRoots = [.certificates(certificates)]
        return tls
    }

    func shutdown() async {
        try? await client.shutdown()
    }

    /// Sends a message and decodes the answer, retrying transient failures.
    func send<Answer: Decodable>(
        _ message: some Encodable, to path: String, expecting: Answer.Type
    ) async throws -> Answer {
        try await send(encoded: try SyncCoding.encode(message), to: path, expecting: Answer.self)
    }

    /// The longest `Retry-After` a retry waits for: a server (or a proxy) may ask for more, and a sync would seem to
    /// hang.
    static let longestRetryAfter: Duration = .seconds(10)

    /// The wait before a retry: the backoff, or the server's `Retry-After` when it asks for longer, at most
    /// ``longestRetryAfter``.
    static func wait(backoff: Duration, retryAfter: Duration?) -> Duration {
        max(backoff, min(retryAfter ?? .zero, longestRetryAfter))
    }

    /// Sends a message encoded beforehand (see ``SyncCoding/encode(_:)``) and decodes the answer, retrying
    /// transient failures: after the backoff, or after the server's `Retry-After` when it asks for longer (up to
    /// ``longestRetryAfter``), so that clients do not press a server that said it cannot serve now.
    func send<Answer: Decodable>(encoded body: Data, to path: String, expecting: Answer.Type) async throws -> Answer {
        var backoff = options.initialBackoff
        for attempt in 1...options.attempts {
            do {
                return try await sendOnce(body, to: path, expecting: Answer.self)
            } catch let error as SyncClientError where error.isTransient && attempt < options.attempts {
                logger.debug("attempt \(attempt) failed, retrying: \(error.description)")
                try await Task.sleep(for: Self.wait(backoff: backoff, retryAfter: error.retryAfter))
                backoff *= 2
            }
        }
        preconditionFailure("the last attempt returns or throws")
    }

    private func sendOnce<Answer: Decodable>(_ body: Data, to path: String, expecting: Answer.Type) async throws -> Answer {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        request.body = .bytes(ByteBuffer(bytes: body))
        let status: Int
        let data: Data
        var retryAfter: Duration?
        do {
            let response = try await client.execute(request, timeout: .init(options.requestTimeout))
            status = Int(response.status.code)
            // Seconds only: the HTTP-date form is for caches, and no server of this protocol sends it.
            retryAfter = response.headers.first(name: "Retry-After").flatMap { UInt32($0.trimmingWhiteSpace()) }
                .map { .seconds(Int64($0)) }
            let buffer = try await response.body.collect(upTo: Self.maxResponseBytes)
            // Copied through a pointer: Data's initializer from a sequence checks at run time whether it is
            // contiguous bytes, a protocol conformance lookup that a process's first time scans the whole binary.
            data = buffer.withUnsafeReadableBytes { bytes in
                bytes.baseAddress.map { Data(bytes: $0, count: bytes.count) } ?? Data()
            }
        } catch let error as SyncClientError {
            throw error
        } catch {
            if let problem = Self.tlsFailure(error) {
                throw SyncClientError(.tlsRefused(url: baseURL, problem: problem, reason: Self.tlsReason(error)))
            }
            // AsyncHTTPClient keeps trying to connect until the connect timeout, so a connection that could not be
            // made is not worth another attempt; a connection lost mid-request is.
            var reason = Self.describe(error)
            let connectFailed = reason == "connection refused" || reason == "connection timed out"
            if reason == Self.closedWithoutAnswer || reason == Self.resetWithoutAnswer, baseURL.hasPrefix("http:") {
                // What a TLS server does with a request in plain HTTP: it closes the connection, and when the
                // request's bytes are still unread at that moment, the closing is a reset.
                reason += " without answering: if it serves HTTPS, write the URL with https://"
            }
            // Over https the pool does not retry (see init), so a refused connection is retried here instead.
            let poolRetried = !baseURL.hasPrefix("https:")
            throw SyncClientError(.unreachable(url: baseURL, reason: reason), retryable: !(connectFailed && poolRetried))
        }
        guard status == 200 else {
            var error = serverError(status: status, data: data)
            error.retryAfter = retryAfter
            throw error
        }
        do {
            return try SyncCoding.decode(Answer.self, from: data)
        } catch {
            if let probe = try? SyncCoding.decode(ProtocolProbe.self, from: data), let version = probe.protocol,
                version != SyncProtocolVersion.current
            {
                throw SyncClientError(.protocolMismatch(url: baseURL, server: version))
            }
            throw SyncClientError(.badResponse(url: baseURL, reason: "\(error)".prefix(200).description))
        }
    }

    private func serverError(status: Int, data: Data) -> SyncClientError {
        guard let answer = try? SyncCoding.decode(ErrorResponse.self, from: data) else {
            return SyncClientError(.server(
                url: baseURL, status: status, code: nil,
                message: "the server sent no protocol error body; is the URL a `margin serve` server?"))
        }
        if answer.error.code == .protocolMismatch {
            return SyncClientError(.server(url: baseURL, status: status, code: .protocolMismatch, message: answer.error.message))
        }
        var error = SyncClientError(.server(url: baseURL, status: status, code: answer.error.code, message: answer.error.message))
        if answer.error.rule != nil || answer.error.revision != nil {
            error.rejection = (answer.error.rule ?? "", answer.error.revision)
        }
        return error
    }

    /// What went wrong in a TLS handshake, or nil when `error` is not a TLS failure.
    static func tlsFailure(_ error: any Error) -> SyncClientError.TLSProblem? {
        if let error = error as? NIOSSLExtraError, error == .failedToValidateHostname { return .wrongHostName }
        guard let error = error as? NIOSSLError else { return nil }
        let text = "\(error)"
        if text.contains("CERTIFICATE_VERIFY_FAILED") { return .untrustedCertificate }
        if text.contains("WRONG_VERSION_NUMBER") || text.contains("PACKET_LENGTH_TOO_LONG") { return .notTLS }
        return .handshakeFailed
    }

    /// The name BoringSSL gives a handshake failure (e.g. `WRONG_VERSION_NUMBER`), else the error's own text.
    static func tlsReason(_ error: any Error) -> String {
        let text = "\(error)"
        if let match = text.firstMatch(of: /OPENSSL_internal:([A-Z0-9_]+)/) { return String(match.1) }
        if let error = error as? NIOSSLExtraError { return "\(error)" }
        return String(text.prefix(120))
    }

    static let closedWithoutAnswer = "the server closed the connection"
    static let resetWithoutAnswer = "the server reset the connection"

    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout: return "connection timed out"
            case .readTimeout, .deadlineExceeded: return "the server did not answer in time"
            case .remoteConnectionClosed: return closedWithoutAnswer
            default: return "\(error)"
            }
        }
        let text = "\(error)"
        if text.contains("onnection refused") { return "connection refused" }
        if text.contains("onnection reset by peer") { return resetWithoutAnswer }
        return String(text.prefix(200))
    }
}
