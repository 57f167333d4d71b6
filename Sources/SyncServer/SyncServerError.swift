import Foundation
import Hummingbird
import MarginCore
import SyncBackend
import SyncProtocol

/// An error the server sends to the client: a status, a stable code and one sentence saying what to do. Every
/// failure a client can cause becomes one of these (a backend's ``SyncRefusal`` is one already); anything else is a
/// 500 `internal_error`.
public typealias SyncServerError = SyncRefusal

extension SyncRefusal: HTTPResponseError {
    /// The HTTP status, decided by the code.
    public var status: HTTPResponse.Status { HTTPResponse.Status(code: code.httpStatus) }

    /// The JSON error body of the protocol (`{"error": {"code", "message", "revision"?}}`).
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if code == .unauthorized { headers[.wwwAuthenticate] = "Bearer realm=\"marginalia\"" }
        if let retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
        let body = try SyncCoding.encode(ErrorResponse(code: code, message: message, revision: revision, rule: rule))
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}

extension SyncServerError {
    // MARK: - Common errors

    static func protocolMismatch(client: Int) -> SyncServerError {
        SyncServerError(
            .protocolMismatch,
            "The client speaks sync protocol \(client) but this server speaks protocol \(SyncProtocolVersion.current); upgrade the older side.")
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
