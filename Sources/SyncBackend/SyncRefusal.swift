import MarginCore
import SyncProtocol

/// A request a backend refuses because of what the client sent, or because it is too busy to serve it now: the
/// server answers it with the protocol's error ``code`` (4xx, or 503 with `Retry-After`), never as its own failure.
public struct SyncRefusal: Error, CustomStringConvertible, Sendable {
    /// The protocol's error code (it decides the HTTP status).
    public var code: SyncErrorCode
    /// What happened and what to do.
    public var message: String
    /// The revision the refusal is about, if any.
    public var revision: RevisionID?
    /// The rule the revision breaks, if any.
    public var rule: ValidationRule?
    /// For ``SyncErrorCode/unavailable``: how many seconds the client should wait before retrying.
    public var retryAfterSeconds: Int?

    /// Makes a refusal.
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

    public var description: String { message }

    /// Said after every refusal of a pushed page.
    public static let pageRejected = " The whole page was rejected; nothing was stored."

    /// A page refused by the domain rules: 422 naming the revision and the rule it breaks.
    public init(core error: MarginCoreError) {
        let message = error.description + Self.pageRejected
        switch error.kind {
        case let .hashMismatch(revision, _):
            self.init(.hashMismatch, message, revision: revision)
        case let .invalidRevision(revision, rule, _):
            self.init(.invalidRevision, message, revision: revision, rule: rule)
        case .badSignature:
            self.init(.badSignature, message)
        case let .unsignedRevision(revision, _):
            self.init(.unsignedRevision, message, revision: revision)
        case let .forgedOrigin(revision, _, _, _):
            self.init(.forgedOrigin, message, revision: revision)
        case let .unknownKey(revision, _, _):
            self.init(.unknownKey, message, revision: revision)
        default:
            self.init(.invalidRevision, message)
        }
    }

    /// Other writers kept changing what the page touches: 503, to be sent again shortly.
    public static func contention(_ description: String) -> SyncRefusal {
        SyncRefusal(.unavailable, description, retryAfterSeconds: 1)
    }
}
