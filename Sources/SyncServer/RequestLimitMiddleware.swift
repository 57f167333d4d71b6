import Hummingbird
import SyncProtocol

/// Answers 503 with `Retry-After` when ``SyncServerLimits/maxConcurrentRequests`` requests are already being handled,
/// before any work is done for the request. Health checks are always answered.
struct RequestLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let load: ServerLoad

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.path == SyncEndpoint.health { return try await next(request, context) }
        guard load.enterRequest() else {
            throw SyncServerError(
                .unavailable,
                "The server is handling its limit of \(load.limits.maxConcurrentRequests) requests at once; retry in a moment.",
                retryAfterSeconds: 1)
        }
        defer { load.leaveRequest() }
        return try await next(request, context)
    }
}
