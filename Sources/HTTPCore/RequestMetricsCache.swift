import HTTPTypes
import Metrics
import Synchronization

/// The metric handles of ``RequestMetricsMiddleware``, made once per method and per route,
/// method and status.
final class RequestMetricsCache: Sendable {
    struct EndpointKey: Hashable {
        let route: String
        let method: HTTPRequest.Method
        let status: Int
    }

    struct EndpointMetrics: Sendable {
        let requests: Counter
        let duration: Metrics.Timer
        let errors: Counter
    }

    private let methods = Mutex<[HTTPRequest.Method: Meter]>([:])
    private let endpoints = Mutex<[EndpointKey: EndpointMetrics]>([:])

    func activeRequests(method: HTTPRequest.Method) -> Meter {
        methods.withLock { methods in
            if let meter = methods[method] { return meter }
            let meter = Meter(label: "http.server.active_requests", dimensions: [("http.request.method", method.rawValue)])
            methods[method] = meter
            return meter
        }
    }

    func endpoint(route: String, method: HTTPRequest.Method, status: HTTPResponse.Status) -> EndpointMetrics {
        let key = EndpointKey(route: route, method: method, status: status.code)
        return endpoints.withLock { endpoints in
            if let metrics = endpoints[key] { return metrics }
            let dimensions = [("http.route", route), ("http.request.method", method.rawValue), ("http.response.status_code", String(status.code))]
            let metrics = EndpointMetrics(
                requests: Counter(label: "hb.requests", dimensions: dimensions),
                duration: Metrics.Timer(label: "http.server.request.duration", dimensions: dimensions, preferredDisplayUnit: .seconds),
                errors: Counter(label: "hb.request.errors", dimensions: [
                    ("http.route", route), ("http.request.method", method.rawValue), ("error.type", String(status.code)),
                ])
            )
            endpoints[key] = metrics
            return metrics
        }
    }
}
