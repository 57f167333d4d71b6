import MarginCore

/// The version of the sync protocol this code speaks. Every request body carries it in its `protocol` field;
/// a server that speaks another version answers 409 with the error code `protocol_mismatch`.
///
/// Version 2 signs revisions: pages carry ``ChainProof``s (see `Protocol/PROTOCOL.md`, "Signatures" and
/// "Compatibility"). Version 1 peers and servers are refused with 409; their stores upgrade in place.
public enum SyncProtocolVersion {
    /// The current protocol version.
    public static let current = 2
}

/// The paths of the sync endpoints, relative to a remote's base URL.
public enum SyncEndpoint {
    /// `POST`: exchange version vectors and pull one page of revisions (``SyncRequest`` → ``SyncResponse``).
    public static let sync = "/v1/sync"
    /// `POST`: push one page of revisions (``PushRequest`` → ``PushResponse``).
    public static let revisions = "/v1/revisions"
    /// `GET`: liveness and protocol version (→ ``HealthResponse``); needs no token.
    public static let health = "/v1/health"
}

// MARK: - Sync (pull)

/// `POST /v1/sync`: "here is what I have; send me a page of what I lack".
///
/// ```json
/// {"protocol": 1, "have": {"a1b2c3d4e5f60718": 12}, "limit": 500, "maxBytes": 4194304}
/// ```
public struct SyncRequest: Codable, Sendable, Equatable {
    /// The protocol version the client speaks.
    public var `protocol`: Int
    /// The client's version vector.
    public var have: VersionVector
    /// The most revisions to return in this page (the server may return fewer; it caps it at 5000).
    public var limit: Int?
    /// A soft cap on the page's size in bytes of revision content; a page always has at least one revision
    /// when any is missing.
    public var maxBytes: Int?
    /// The client's own peer id, when it wants to check that nobody else writes under it: the server then answers
    /// with ``SyncResponse/originHead``.
    public var origin: PeerID?

    /// Makes a request in the current protocol version.
    public init(
        have: VersionVector, limit: Int? = nil, maxBytes: Int? = nil, origin: PeerID? = nil,
        protocol: Int = SyncProtocolVersion.current
    ) {
        self.protocol = `protocol`
        self.have = have
        self.limit = limit
        self.maxBytes = maxBytes
        self.origin = origin
    }
}

/// The answer to ``SyncRequest``: the server's vector and the first page of revisions the client lacks,
/// in the server's change-log order (which is causal: parents come before children).
public struct SyncResponse: Codable, Sendable, Equatable {
    /// The protocol version the server speaks.
    public var `protocol`: Int
    /// The server's peer id.
    public var peer: PeerID
    /// The server's version vector when the page was read.
    public var have: VersionVector
    /// Revisions the client lacks, oldest first in the server's log order.
    public var revisions: [Revision]
    /// True when the client still lacks more revisions after this page: ask again with the updated vector.
    public var more: Bool
    /// The largest request body the server accepts, in bytes; push pages must stay below it.
    public var maxBodyBytes: Int
    /// When the request named its ``SyncRequest/origin``: the server's revision of that origin with the highest
    /// counter, or nil when it holds none. A client that finds another revision there (or a higher counter than its
    /// own) knows that another writer used its identity (see `Protocol/PROTOCOL.md`, "Store identity").
    public var originHead: OriginHead?
    /// The signatures that vouch for the page's revisions: for each origin in the page, one proof through its last
    /// revision there (an origin whose revisions the server kept from before signatures may have none).
    public var signatures: [ChainProof]
    /// The server's account for each signing key of the page (and of the request's `origin`), by key, where the key
    /// belongs to an account.
    public var accounts: [String: String]

    /// Makes a response in the current protocol version.
    public init(
        peer: PeerID, have: VersionVector, revisions: [Revision], more: Bool, maxBodyBytes: Int,
        originHead: OriginHead? = nil, signatures: [ChainProof] = [], accounts: [String: String] = [:],
        protocol: Int = SyncProtocolVersion.current
    ) {
        self.protocol = `protocol`
        self.peer = peer
        self.have = have
        self.revisions = revisions
        self.more = more
        self.maxBodyBytes = maxBodyBytes
        self.originHead = originHead
        self.signatures = signatures
        self.accounts = accounts
    }
}

/// A server's newest revision of one origin: `{"counter": 12, "id": "…"}`.
public struct OriginHead: Codable, Sendable, Equatable {
    /// The highest counter the server holds from the origin.
    public var counter: Int64
    /// The id of the revision at that counter.
    public var id: RevisionID

    /// Makes an origin head.
    public init(counter: Int64, id: RevisionID) {
        self.counter = counter
        self.id = id
    }
}

// MARK: - Push

/// `POST /v1/revisions`: one page of revisions the server lacks, in the client's change-log order.
/// The server applies the page in one transaction: all of it or none of it.
public struct PushRequest: Codable, Sendable, Equatable {
    /// The protocol version the client speaks.
    public var `protocol`: Int
    /// The pushing peer's id (recorded as the source in the server's change log).
    public var from: PeerID
    /// The revisions, in causal order.
    public var revisions: [Revision]
    /// The signatures that vouch for them: for each origin in the page, one proof through its last revision there.
    public var signatures: [ChainProof]

    /// Makes a request in the current protocol version.
    public init(
        from: PeerID, revisions: [Revision], signatures: [ChainProof] = [], protocol: Int = SyncProtocolVersion.current
    ) {
        self.protocol = `protocol`
        self.from = from
        self.revisions = revisions
        self.signatures = signatures
    }
}

/// The answer to ``PushRequest``.
public struct PushResponse: Codable, Sendable, Equatable {
    /// The protocol version the server speaks.
    public var `protocol`: Int
    /// How many revisions of the page were new to the server.
    public var accepted: Int
    /// How many revisions of the page the server already had (sending a page twice is harmless).
    public var duplicates: Int
    /// The server's version vector after the page was applied.
    public var have: VersionVector

    /// Makes a response in the current protocol version.
    public init(accepted: Int, duplicates: Int, have: VersionVector, protocol: Int = SyncProtocolVersion.current) {
        self.protocol = `protocol`
        self.accepted = accepted
        self.duplicates = duplicates
        self.have = have
    }
}

// MARK: - Health

/// The answer to `GET /v1/health`.
public struct HealthResponse: Codable, Sendable, Equatable {
    /// Always `"ok"` when the server answers.
    public var status: String
    /// The protocol version the server speaks.
    public var `protocol`: Int

    /// Makes a healthy response in the current protocol version.
    public init(status: String = "ok", protocol: Int = SyncProtocolVersion.current) {
        self.status = status
        self.protocol = `protocol`
    }
}

// MARK: - Errors

/// The body of every error response: `{"error": {"code": "...", "message": "...", "revision": "..."}}`.
public struct ErrorResponse: Codable, Sendable, Equatable {
    /// The error itself.
    public var error: ErrorDetail

    /// Makes an error body.
    public init(code: SyncErrorCode, message: String, revision: RevisionID? = nil, rule: ValidationRule? = nil) {
        error = ErrorDetail(code: code, message: message, revision: revision, rule: rule?.rawValue)
    }
}

/// What went wrong, in an ``ErrorResponse``.
public struct ErrorDetail: Codable, Sendable, Equatable {
    /// A stable, machine-readable code.
    public var code: SyncErrorCode
    /// One sentence for people: what happened and what to do.
    public var message: String
    /// The revision the error is about, when there is one.
    public var revision: RevisionID?
    /// The rule the revision breaks, for `invalid_revision`: a ``ValidationRule`` raw value (a string, so that a
    /// rule added by a newer server still decodes; see `Protocol/PROTOCOL.md`, "Validation").
    public var rule: String?
}

/// The machine-readable error codes, with the HTTP status each is sent with.
public enum SyncErrorCode: String, Codable, Sendable, CaseIterable {
    /// 400: the body is not JSON or does not have the message's shape.
    case malformedRequest = "malformed_request"
    /// 401: no bearer token, or a token the server does not know.
    case unauthorized
    /// 403: the token may read but not push.
    case forbidden
    /// 404: no such endpoint (or not with this method).
    case notFound = "not_found"
    /// 409: the request's `protocol` is not the server's.
    case protocolMismatch = "protocol_mismatch"
    /// 413: the body is larger than the server accepts.
    case bodyTooLarge = "body_too_large"
    /// 422: a revision does not hash to its id; the page was rejected.
    case hashMismatch = "hash_mismatch"
    /// 422: a revision breaks the rules (a parent is missing, counters skip, a record changes kind); the page was rejected.
    case invalidRevision = "invalid_revision"
    /// 422: a signature is malformed or does not hold over the revisions as sent; the page was rejected.
    case badSignature = "bad_signature"
    /// 422: new revisions of an origin arrived without a signature that covers them; the page was rejected.
    case unsignedRevision = "unsigned_revision"
    /// 403: a revision claims an origin that belongs to another key (another account); the page was rejected.
    case forgedOrigin = "forged_origin"
    /// 403: a revision is signed by a key no account of the server uses; the page was rejected.
    case unknownKey = "unknown_key"
    /// 500: the server failed; the request may be retried.
    case internalError = "internal_error"
    /// 503: the server is shutting down or busy; retry later.
    case unavailable

    /// The HTTP status code sent with this error.
    public var httpStatus: Int {
        switch self {
        case .malformedRequest: 400
        case .unauthorized: 401
        case .forbidden, .forgedOrigin, .unknownKey: 403
        case .notFound: 404
        case .protocolMismatch: 409
        case .bodyTooLarge: 413
        case .hashMismatch, .invalidRevision, .badSignature, .unsignedRevision: 422
        case .internalError: 500
        case .unavailable: 503
        }
    }
}

/// Reads only the `protocol` field of a request, so a version mismatch is reported as such even when the rest
/// of the body has another version's shape.
public struct ProtocolProbe: Decodable, Sendable {
    /// The protocol version the sender speaks, if it said.
    public var `protocol`: Int?
}

/// A request that says which protocol version its sender speaks.
public protocol VersionedRequest: Decodable, Sendable {
    /// The protocol version the sender speaks.
    var `protocol`: Int { get }
}

extension SyncRequest: VersionedRequest {}
extension PushRequest: VersionedRequest {}

// MARK: - Decoding fields that may be left out

extension SyncResponse {
    private enum CodingKeys: String, CodingKey {
        case `protocol`, peer, have, revisions, more, maxBodyBytes, originHead, signatures, accounts
    }

    /// Decodes a response; `signatures` and `accounts` may be left out when empty.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            peer: try container.decode(PeerID.self, forKey: .peer),
            have: try container.decode(VersionVector.self, forKey: .have),
            revisions: try container.decode([Revision].self, forKey: .revisions),
            more: try container.decode(Bool.self, forKey: .more),
            maxBodyBytes: try container.decode(Int.self, forKey: .maxBodyBytes),
            originHead: try container.decodeIfPresent(OriginHead.self, forKey: .originHead),
            signatures: try container.decodeIfPresent([ChainProof].self, forKey: .signatures) ?? [],
            accounts: try container.decodeIfPresent([String: String].self, forKey: .accounts) ?? [:],
            protocol: try container.decode(Int.self, forKey: .protocol))
    }
}

extension PushRequest {
    private enum CodingKeys: String, CodingKey { case `protocol`, from, revisions, signatures }

    /// Decodes a request; `signatures` may be left out when the page carries none (a page with new revisions is then
    /// refused as unsigned).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            from: try container.decode(PeerID.self, forKey: .from),
            revisions: try container.decode([Revision].self, forKey: .revisions),
            signatures: try container.decodeIfPresent([ChainProof].self, forKey: .signatures) ?? [],
            protocol: try container.decode(Int.self, forKey: .protocol))
    }
}
