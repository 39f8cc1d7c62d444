import HTTPCore
import Hummingbird
import HummingbirdWebSocket
import Logging
import SetupDetection
import WebSocketCore

/// The endpoints of the service: `GET /inplay/ws`, `GET /inplay/watchlists/{id}?session=`,
/// `POST /inplay/bars`. Every one needs `INPLAY_SERVICE_TOKEN`.
enum InPlayRoutes {
    static func add(
        to router: Router<WebSocketServiceContext>, monitor: WatchlistMonitor, hub: TopicHub,
        serviceToken: String, maxBodyBytes: Int
    ) {
        let authenticator = ClientAuthenticator(token: serviceToken)
        router.ws("/inplay/ws", shouldUpgrade: { request, _ in
            if let refusal = authenticator.refusal(for: request, allowQueryToken: true) { throw refusal }
            guard hub.hasCapacity else { throw APIError.unavailable("too many WebSocket connections", code: "too_many_connections") }
            return .upgrade([:])
        }) { inbound, outbound, context in
            guard let connection = hub.open() else { return }
            await monitor.attach(connection)
            // The seed needs no client frames: whatever a client sends is read and ignored.
            try await hub.serve(connection, inbound: inbound, outbound: outbound, channel: context.requestContext.channel, logger: context.logger) { _ in }
        }

        let api = router.group("inplay").add(middleware: ServiceTokenMiddleware(tokens: [serviceToken], realm: "inplay.api"))
        let sessions = monitor.sessionNames
        api.get("watchlists/:watchlist_id") { request, context -> Response in
            let id = try context.parameters.require("watchlist_id")
            var session: SessionName?
            if let text = request.uri.queryParameters.get("session"), !text.isEmpty {
                guard let known = sessions.first(where: { $0.rawValue == text }) else {
                    throw APIError.badRequest(
                        "unknown session '\(text)'; expected one of \(sessions.map(\.rawValue).joined(separator: ", "))",
                        code: "unknown_session"
                    )
                }
                session = known
            }
            guard let payload = await monitor.payload(for: id, session: session) else {
                throw APIError.notFound("no watchlist '\(id)'", code: "unknown_watchlist")
            }
            return Response.json(bytes: Array(try payload.jsonData()))
        }
        api.post("bars") { request, context -> Response in
            let body = try await request.collectBody(limit: maxBodyBytes)
            let messages: [BarMessage]
            do throws(BarMessageError) {
                messages = try BarMessage.decodeBatch(body.readableBytesView)
            } catch {
                throw APIError.badRequest(error.reason, code: "malformed_bar")
            }
            guard !messages.isEmpty else { throw APIError.unprocessable("no bars in the request", code: "invalid_bar") }
            var bars: [Bar] = []
            bars.reserveCapacity(messages.count)
            for (index, message) in messages.enumerated() {
                switch message.bar() {
                case .success(let bar): bars.append(bar)
                case .failure(let error):
                    throw APIError.unprocessable("bar \(index): \(error.reason)", code: "invalid_bar")
                }
            }
            let report = await monitor.ingest(bars, source: .rest)
            return try Response.json(report, status: .accepted)
        }
    }
}
