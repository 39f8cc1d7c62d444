import AsyncHTTPClient
import Logging
import Metrics
import NIOCore
import NIOHTTP1
import ServiceLifecycle

/// Sends execution reports to `POST {STREAMING_INGEST_URL}/ingest/reports`, one at a time in
/// order, from the bounded report ``Outbox``; failures are retried with exponential backoff.
/// It runs on its own task, so a slow or absent streaming only grows (and then trims) the
/// outbox: order flow never waits for it.
///
/// A 2xx answer is success. 400, 413 and 422 drop the report (it would never be accepted);
/// anything else (5xx, 401, 429, network errors) is retried.
struct ReportSender: Service {
    let settings: OrderRouterConfiguration.ReportSettings
    let outbox: Outbox<ExecutionReport>
    let httpClient: HTTPClient
    let logger: Logger

    /// Reports dropped because the outbox overflowed or streaming refused them for good.
    static let dropped = Counter(label: "order_router_reports_dropped_total")
    private static let sent = Counter(label: "order_router_reports_sent_total")
    private static let failures = Counter(label: "order_router_report_failures_total")
    private static let depth = Gauge(label: "order_router_report_outbox_depth")

    func run() async throws {
        let url = settings.ingestURL + "/ingest/reports"
        while true {
            let front = await outbox.peek(limit: 1)
            if front.isEmpty { return }
            guard let report = outbox.popFirst() else { continue }
            Self.depth.record(outbox.depth + 1)
            var delay = settings.initialBackoff
            var loggedFailure = false
            while true {
                let status: UInt?
                do {
                    status = try await send(report, to: url)
                } catch {
                    status = nil
                    if !loggedFailure {
                        logger.warning("execution report not delivered; retrying", metadata: ["report.id": "\(report.reportId)", "error.message": "\(error)"])
                        loggedFailure = true
                    }
                }
                if let status, (200..<300).contains(status) {
                    Self.sent.increment()
                    Self.depth.record(outbox.depth)
                    break
                }
                if let status, status == 400 || status == 413 || status == 422 {
                    Self.dropped.increment()
                    logger.error("streaming refused an execution report; dropped", metadata: ["report.id": "\(report.reportId)", "http.status": "\(status)"])
                    break
                }
                Self.failures.increment()
                if let status, !loggedFailure {
                    logger.warning("streaming answered an execution report with an error; retrying", metadata: ["report.id": "\(report.reportId)", "http.status": "\(status)"])
                    loggedFailure = true
                }
                if Task.isCancelled || Task.isShuttingDownGracefully {
                    logger.warning("shutting down with undelivered execution reports", metadata: ["outbox.depth": "\(outbox.depth + 1)"])
                    return
                }
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, settings.maximumBackoff)
            }
        }
    }

    private func send(_ report: ExecutionReport, to url: String) async throws -> UInt {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Authorization", value: "Bearer \(settings.serviceToken)")
        request.headers.add(name: "X-Idempotency-Key", value: report.reportId)
        request.body = .bytes(ByteBuffer(bytes: report.body(roomId: settings.roomId)))
        let response = try await httpClient.execute(request, timeout: .seconds(5))
        _ = try? await response.body.collect(upTo: 64 * 1024)
        return response.status.code
    }
}
