import Foundation
import Hummingbird
import MarginCore
import SyncBackend
import SyncProtocol

/// An error the server sends to the client: a status, a stable code and one sentence saying what to do.
/// Every failure a client can cause becomes one of these; anything else is a 500 `internal_error`.
public struct SyncServerError: Error, HTTPResponseError, CustomStringConvertible, Sendable {
    /// The machine-readable code (it decides the HTTP status).
    public var code: SyncErrorCode
    /// What happened and what to do.
    public var message: String
    /// The revision the error is about, if any.
    public var revision: RevisionID?
    /// The rule the revision breaks, if any.
    public var rule: ValidationRule?
    /// For a busy server's 503: how many seconds the client should wait before retrying (sent as `Retry-After`).
    public var retryAfterSeconds: Int?

    /// Makes an error.
    public init(
        _ code: SyncErrorCode, _ message: String, revision: RevisionID? = nil, rule: ValidationRule? = nil,
        retryAfterSeconds: Int? = nil
    ) {
        self.code = code
        self.message = message
        self.revision = revision
        self.rule = rule
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// The HTTP status, decided by the code.
    public var status: HTTPResponse.Status { HTTPResponse.Status(code: code.httpStatus) }

    /// The message.
    public var description: String { message }

    /// The JSON error body of the protocol (`{"error": {"code", "message", "revision"?}}`).
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if code == .unauthorized { headers[.wwwAuthenticate] = "Bearer realm=\"marginalia\"" }
        if let retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
        let body = try SyncCoding.encode(ErrorResponse(code: code, message: message, revision: revision, rule: rule))
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    // MARK: - Common errors

    static func protocolMismatch(client: Int) -> SyncServerError {
        SyncServerError(
            .protocolMismatch,
            "The client speaks sync protocol \(client) but this server speaks protocol \(SyncProtocolVersion.current); upgrade the older side.")
    }

    /// Maps a rejected revision to what the client must hear: 422 naming the revision and the rule.
    static func from(core error: MarginCoreError) -> SyncServerError {
        SyncServerError(SyncRefusal(core: error))
    }

    /// The answer to a backend's refusal.
    init(_ refusal: SyncRefusal) {
        self.init(
            refusal.code, refusal.message, revision: refusal.revision, rule: refusal.rule,
            retryAfterSeconds: refusal.retryAfterSeconds)
    }
}

extension SyncServerError {
    /// Describes a JSON decoding failure in one sentence, without echoing the body back.
    static func malformed(_ message: String, _ error: any Error) -> SyncServerError {
        let detail: String
        switch error {
        case let DecodingError.keyNotFound(key, context):
            detail = "field “\(Self.path(context.codingPath + [key]))” is missing"
        case let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context):
            detail = "field “\(Self.path(context.codingPath))” has the wrong type"
        case let DecodingError.dataCorrupted(context):
            detail = context.codingPath.isEmpty
                ? "it is not valid JSON" : "field “\(Self.path(context.codingPath))” is invalid: \(context.debugDescription)"
        default:
            detail = "it cannot be read"
        }
        return SyncServerError(.malformedRequest, "The body is not a valid \(message) message: \(detail). See Protocol/PROTOCOL.md.")
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}
