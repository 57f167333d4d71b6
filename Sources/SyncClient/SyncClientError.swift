import Foundation
import MarginCore
import MarginStore
import SyncProtocol

/// An error from syncing. Its description is one sentence: what happened and what to do.
public struct SyncClientError: Error, CustomStringConvertible, LocalizedError, Sendable {
    /// What went wrong.
    public enum Kind: Sendable {
        /// The server could not be reached (after retries).
        case unreachable(url: String, reason: String)
        /// The server answered with a protocol error.
        case server(url: String, status: Int, code: SyncErrorCode?, message: String)
        /// The server speaks another protocol version.
        case protocolMismatch(url: String, server: Int)
        /// The server's answer is not a valid protocol message.
        case badResponse(url: String, reason: String)
        /// The server's answer is a protocol message, but what it says breaks the protocol (a lying or faulty server).
        case answerBreaksProtocol(url: String, reason: String)
        /// The remote URL cannot be used.
        case invalidURL(String)
        /// The server announced a request limit below one revision this store must push.
        case revisionTooLargeForServer(url: String, revision: RevisionID, bytes: Int, limit: Int)
        /// The local store failed; it was left as it was before the failing page.
        case store(MarginStoreError)
        /// The TLS handshake with the server failed.
        case tlsRefused(url: String, problem: TLSProblem, reason: String)
        /// The file of certificates to trust for a remote cannot be used.
        case unusableTrustedCertificate(path: String, reason: String)
    }

    /// Why a TLS handshake failed.
    public enum TLSProblem: Sendable {
        /// The server's certificate is not signed by any certificate this client trusts (e.g. it is self-signed).
        case untrustedCertificate
        /// The server's certificate does not name the host in the URL.
        case wrongHostName
        /// The server does not speak TLS (an https URL for a plain-HTTP server).
        case notTLS
        /// Any other handshake failure.
        case handshakeFailed
    }

    /// What went wrong.
    public let kind: Kind

    /// Makes an error of the given kind.
    public init(_ kind: Kind) { self.kind = kind }

    init(_ kind: Kind, retryable: Bool) {
        self.kind = kind
        self.retryable = retryable
    }

    /// The rule the server named when it rejected a revision, and that revision.
    var rejection: (rule: String, revision: RevisionID?)?

    /// True when the server refused a push because it holds another revision at the same origin and counter.
    var isReusedCounter: Bool {
        guard case .server(_, 422, .invalidRevision?, _) = kind else { return false }
        return rejection?.rule == ValidationRule.counterReused.rawValue
    }

    /// The revision the server refused because it has not met the key that signs it (403 `unknown_key`: its
    /// author has not synced with that server), when that is the refusal.
    var revisionWithUnknownKey: RevisionID? {
        guard case .server(_, 403, .unknownKey?, _) = kind else { return nil }
        return rejection?.revision
    }

    /// Set when the transport knows better than the kind, e.g. a refused connection that the HTTP client
    /// already retried for its whole connect timeout.
    private var retryable: Bool?

    /// True for failures worth retrying: the network, or a server that is busy or restarting.
    /// How long the server asked the client to wait before trying again (its `Retry-After`), if it said.
    var retryAfter: Duration?

    var isTransient: Bool {
        if let retryable { return retryable }
        return switch kind {
        case .unreachable: true
        case let .server(_, status, _, _): status == 500 || status == 502 || status == 503 || status == 504
        default: false
        }
    }

    /// One sentence: what happened and what to do.
    public var description: String {
        switch kind {
        case let .unreachable(url, reason):
            return "Cannot reach \(url) (\(reason)); check that `margin serve` is running there and the URL is right. Nothing local was changed by the failed request."
        case let .server(url, status, code, message):
            switch code {
            case .unauthorized?:
                return "\(url) refused the request (401): \(message) Set the token with `margin remote remove NAME` and `margin remote add NAME URL --token-file FILE` (or --token-stdin)."
            case .forbidden?:
                return "\(url) refused the push (403): \(message)"
            default:
                return "\(url) answered \(status)\(code.map { " (\($0.rawValue))" } ?? ""): \(message)"
            }
        case let .protocolMismatch(url, server):
            return "\(url) speaks sync protocol \(server) but this margin speaks protocol \(SyncProtocolVersion.current); upgrade the older side."
        case let .badResponse(url, reason):
            return "\(url) sent an answer that is not a Marginalia sync message (\(reason)); is the URL a `margin serve` server?"
        case let .answerBreaksProtocol(url, reason):
            return "\(url) sent an answer that breaks the sync protocol: \(reason). Nothing of it was kept; the server is faulty, or not to be trusted."
        case let .invalidURL(url):
            return "“\(url)” is not a usable remote URL; write it as http://HOST:PORT, e.g. http://127.0.0.1:8080."
        case let .revisionTooLargeForServer(url, revision, bytes, limit):
            return "\(url) accepts requests of at most \(limit) bytes, below the protocol's minimum of \(RevisionLimits.maximumEncodedRevisionBytes), and revision \(revision.rawValue.prefix(10)) takes \(bytes); nothing was pushed from it on. Ask the server's operator to raise --max-body-bytes to at least \(RevisionLimits.maximumEncodedRevisionBytes)."
        case let .store(error):
            return error.description
        case let .tlsRefused(url, problem, reason):
            let host = URL(string: url)?.host ?? url
            switch problem {
            case .untrustedCertificate:
                return "The certificate of \(url) is not trusted (\(reason): no authority this machine trusts signed it, nor the certificate given to --ca-cert); if the server uses a self-signed certificate, add the remote again with --ca-cert FILE naming that certificate (or the authority that signed it). Nothing was sent."
            case .wrongHostName:
                return "The certificate of \(url) is not made out to \(host); use a URL with a host name the certificate names, or give the server a certificate for \(host) (trusted through --ca-cert FILE if self-signed). Nothing was sent."
            case .notTLS:
                return "\(url) does not speak TLS (it answered in plain HTTP: \(reason)); use an http:// URL, or start the server with --tls-cert and --tls-key. Nothing was sent."
            case .handshakeFailed:
                return "The TLS handshake with \(url) failed (\(reason)); check the server's certificate, and pass --ca-cert FILE when adding the remote if it is self-signed. Nothing was sent."
            }
        case let .unusableTrustedCertificate(path, reason):
            return "Cannot use \(path) as the certificate to trust: \(reason); pass the server's PEM certificate (or its authority's) to --ca-cert."
        }
    }

    /// The same sentence, for `LocalizedError`.
    public var errorDescription: String? { description }
}
