import Dispatch
import HTTPTypes
import Hummingbird
import Metrics

/// Request metrics under the names Hummingbird's `MetricsMiddleware` uses (`hb.requests`,
/// `http.server.request.duration`, `hb.request.errors`, `http.server.active_requests`),
/// recorded when the handler returns its response.
///
/// Hummingbird's middleware records after the body is written, through a post-write closure;
/// that turns every body into a streamed one, so a small JSON answer goes out in two writes
/// (the head, then the body) instead of one. Recording at return keeps the one-write path;
/// the duration then ends when the response is ready, which for the suite's bodies (bytes
/// already in memory) is within microseconds of the last byte leaving.
public struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    private let cache = RequestMetricsCache()

    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        let active = cache.activeRequests(method: request.method)
        active.increment()
        defer { active.decrement() }
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            let status = (error as? any HTTPResponseError)?.status ?? .internalServerError
            let metrics = cache.endpoint(route: context.endpointPath ?? "NotFound", method: request.method, status: status)
            metrics.requests.increment()
            metrics.errors.increment()
            throw error
        }
        let metrics = cache.endpoint(route: context.endpointPath ?? "Unknown", method: request.method, status: response.status)
        metrics.requests.increment()
        metrics.duration.recordNanoseconds(DispatchTime.now().uptimeNanoseconds - start)
        return response
    }
}
