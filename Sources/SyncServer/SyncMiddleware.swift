import Hummingbird
import Logging
import MarginCore
import SyncBackend
import SyncProtocol

/// Turns every error into the protocol's JSON error body, so clients never meet another shape,
/// and keeps internal failures out of responses (they are logged instead).
struct ErrorBodyMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as SyncRefusal {
            throw error
        } catch let error as HTTPError {
            throw Self.translate(error, request)
        } catch let error as MarginCoreError {
            throw SyncRefusal(core: error)
        } catch {
            context.logger.error("unexpected failure: \(String(describing: error))")
            throw SyncServerError(.internalError, "The server failed unexpectedly; try again later.")
        }
    }

    static func translate(_ error: HTTPError, _ request: Request) -> SyncServerError {
        switch error.status.code {
        case 404, 405:
            return SyncServerError(
                .notFound,
                "There is no \(request.method.rawValue) \(request.uri.path) endpoint; the protocol has POST \(SyncEndpoint.sync), POST \(SyncEndpoint.revisions) and GET \(SyncEndpoint.health).")
        case 413:
            return SyncServerError(.bodyTooLarge, "The request body is larger than this server accepts; send smaller pages.")
        case 400..<500:
            return SyncServerError(.malformedRequest, "The request was rejected: \(error.body ?? error.status.reasonPhrase).")
        default:
            return SyncServerError(.internalError, "The server failed unexpectedly; try again later.")
        }
    }
}

/// The account of the request being handled, when its token is an account's (nil for a token the server was started
/// with, or an open server): a push binds new signing keys to it.
enum PushingAccount {
    @TaskLocal static var name: String?
}

/// Checks the bearer token: reads need any known token, pushes need a write token, health needs none.
///
/// A token is either one the server was started with (``SyncAccess``) or an account's token in the backend, looked
/// up on every request so that a revoked account is refused from its next request on. The server is open (no token
/// needed) only when it was started without tokens and the backend has no accounts at all. Tokens are never
/// logged; an account's name is added to the request's log lines.
struct BearerAuthMiddleware<Context: RequestContext, Backend: SyncBackend>: RouterMiddleware {
    let access: SyncAccess
    let accounts: Backend

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.path == SyncEndpoint.health { return try await next(request, context) }
        let needed: SyncAccess.Permission = request.uri.path == SyncEndpoint.revisions ? .write : .read
        let token = Self.bearerToken(request)
        if !access.isOpen, let token, let granted = access.permission(for: token) {
            guard granted >= needed else {
                throw SyncServerError(.forbidden, "This token may only pull; pushing needs a read-write token.")
            }
            return try await next(request, context)
        }
        // The lookups are single indexed reads (they never wait for a page being written).
        if let token, !token.isEmpty, let account = try await accounts.account(presenting: token) {
            guard !account.isRevoked else {
                throw SyncServerError(
                    .unauthorized,
                    "The account “\(account.name)” was revoked; ask the server's operator for a new account and token.")
            }
            guard !account.isReadOnly || needed == .read else {
                throw SyncServerError(
                    .forbidden,
                    "The account “\(account.name)” may only pull; pushing needs a read-write account (`margin user add NAME` without --read-only).")
            }
            var context = context
            context.logger[metadataKey: "account"] = "\(account.name)"
            return try await PushingAccount.$name.withValue(account.name.rawValue) { try await next(request, context) }
        }
        if access.isOpen, try await !accounts.hasAccounts() { return try await next(request, context) }
        throw SyncServerError(
            .unauthorized,
            "A valid bearer token is required; save it with `margin remote add NAME URL --token-file FILE` (sent as the header `Authorization: Bearer TOKEN`).")
    }

    static func bearerToken(_ request: Request) -> String? {
        guard let header = request.headers[.authorization] else { return nil }
        let prefix = "bearer "
        guard header.count > prefix.count, header.lowercased().hasPrefix(prefix) else { return nil }
        return String(header.dropFirst(prefix.count)).trimmingSpaces()
    }
}
