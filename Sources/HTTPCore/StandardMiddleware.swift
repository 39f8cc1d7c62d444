import Hummingbird
import Logging

/// Installs what every router in the suite starts with, in this order: request ids, the JSON
/// error body, 405 for a known path with another method, request metrics (swift-metrics, exported at `/metrics`), request logs, the body
/// limit; then `/healthz`, `/readyz` and `/metrics`.
public enum StandardMiddleware {
    public static func install<Context: RequestContext>(
        on router: Router<Context>,
        service: String,
        settings: HTTPServerSettings,
        checks: [ReadinessCheck]
    ) {
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: ErrorMiddleware())
        router.add(middleware: MethodNotAllowedMiddleware(router: router))
        router.add(middleware: RequestMetricsMiddleware())
        router.add(middleware: LogRequestsMiddleware(.debug))
        router.add(middleware: BodyLimitMiddleware(maxBytes: settings.maxBodyBytes))
        ObservabilityRoutes.add(to: router, service: service, checks: checks)
    }
}
