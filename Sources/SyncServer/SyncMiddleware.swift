import Hummingbird
import Logging
import MarginCore
import MarginStore
import SyncProtocol

/// Turns every error into the protocol's JSON error body, so clients never meet another shape,
/// and keeps internal failures out of responses (they are logged instead).
struct ErrorBodyMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as SyncServerError {
            throw error
        } catch let error as HTTPError {
            throw Self.translate(error, request)
        } catch let error as MarginCoreError {
            throw SyncServerError.from(core: error)
        } catch let error as MarginStoreError {
            context.logger.error("store failure: \(error.description)")
            throw SyncServerError.from(store: error)
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

/// Checks the bearer token: reads need any known token, pushes need a write token, health needs none.
/// Tokens are never logged.
struct BearerAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let access: SyncAccess

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.path == SyncEndpoint.health || access.isOpen {
            return try await next(request, context)
        }
        let needed: SyncAccess.Permission = request.uri.path == SyncEndpoint.revisions ? .write : .read
        guard let granted = access.permission(for: Self.bearerToken(request)) else {
            throw SyncServerError(
                .unauthorized,
                "A valid bearer token is required; pass it with `margin remote add NAME URL --token TOKEN` (header `Authorization: Bearer TOKEN`).")
        }
        guard granted >= needed else {
            throw SyncServerError(.forbidden, "This token may only pull; pushing needs a read-write token.")
        }
        return try await next(request, context)
    }

    static func bearerToken(_ request: Request) -> String? {
        guard let header = request.headers[.authorization] else { return nil }
        let prefix = "bearer "
        guard header.count > prefix.count, header.lowercased().hasPrefix(prefix) else { return nil }
        return String(header.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
    }
}
