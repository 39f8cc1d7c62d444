import HTTPTypes
import Hummingbird
import NIOCore

/// `/healthz` (the process is alive), `/readyz` (every dependency is ready: 200, else 503 with
/// which is not) and `/metrics` (Prometheus text format). Public, unauthenticated.
public enum ObservabilityRoutes {
    public static func add<Context: RequestContext>(to router: Router<Context>, service: String, checks: [ReadinessCheck]) {
        _ = PrometheusMetrics.registry
        router.get("/healthz") { _, _ -> Response in
            Response.json(bytes: Array(#"{"status":"ok","service":"#.utf8) + Array(JSONText.quoted(service).utf8) + [UInt8(ascii: "}")])
        }
        router.get("/readyz") { _, _ -> Response in
            var failing: [String] = []
            for check in checks where await !check.isReady() {
                failing.append(check.name)
            }
            var body = Array(#"{"status":"#.utf8)
            body += Array((failing.isEmpty ? #""ready""# : #""not_ready""#).utf8)
            body += Array(#","checks":{"#.utf8)
            for (index, check) in checks.enumerated() {
                if index > 0 { body.append(UInt8(ascii: ",")) }
                JSONText.appendString(check.name, to: &body)
                body += Array((failing.contains(check.name) ? #":"failing""# : #":"ok""#).utf8)
            }
            body += Array("}}".utf8)
            return Response.json(bytes: body, status: failing.isEmpty ? .ok : .serviceUnavailable)
        }
        router.get("/metrics") { _, _ -> Response in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: PrometheusMetrics.exposition()))
            )
        }
    }
}
