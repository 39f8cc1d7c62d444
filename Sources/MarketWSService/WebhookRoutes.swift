import Foundation
import HTTPCore
import Hummingbird
import MarketFeed

/// `POST /webhooks`, `GET /webhooks`, `DELETE /webhooks/{id}`, `GET /webhooks/{id}/deliveries`:
/// an operator manages its own endpoints only (another operator's id answers 404).
struct WebhookRoutes: Sendable {
    let registry: WebhookRegistry
    let dispatcher: WebhookDispatcher?
    let authenticator: OperatorAuthenticator
    let maxPerOperator: Int
    let maxBodyBytes: Int

    struct CreateRequest: Decodable {
        var url: String?
        var eventTypes: [String]?
    }

    struct Created: Encodable {
        var id: String
        var url: String
        var eventTypes: [String]
        var secret: String
        var createdAt: Int64
        var signatureHeader = "X-Webhook-Signature"
        var signatureScheme = "t=<unix seconds>,v1=<hex HMAC-SHA256(secret, \"<t>.<body>\")>"
    }

    struct Listed: Encodable {
        var id: String
        var url: String
        var eventTypes: [String]
        var createdAt: Int64
        var backlog: Int

        init(_ endpoint: WebhookEndpoint, backlog: Int) {
            id = endpoint.id
            url = endpoint.url
            eventTypes = endpoint.eventTypes
            createdAt = endpoint.createdAt
            self.backlog = backlog
        }
    }

    struct Listing: Encodable {
        var webhooks: [Listed]
    }

    struct Deliveries: Encodable {
        var webhookId: String
        var deliveries: [WebhookDeliveryRecord]
    }

    func add<Context: RequestContext>(to router: Router<Context>) {
        router.post("/webhooks") { request, _ -> Response in
            let operatorId = try authenticator.restOperator(request)
            let body = try await request.decodeJSON(as: CreateRequest.self, limit: maxBodyBytes)
            let url = try Self.validatedURL(body.url)
            let eventTypes = try Self.validatedEventTypes(body.eventTypes)
            guard registry.endpoints(of: operatorId).count < maxPerOperator else {
                throw APIError.conflict("at most \(maxPerOperator) webhooks per operator", code: "too_many_webhooks")
            }
            let endpoint: WebhookEndpoint
            do {
                endpoint = try registry.register(operatorId: operatorId, url: url, eventTypes: eventTypes, now: Self.nowMilliseconds())
            } catch {
                throw APIError.unavailable("cannot store the registration", code: "storage_unavailable")
            }
            dispatcher?.add(endpoint)
            return try Response.json(
                Created(id: endpoint.id, url: endpoint.url, eventTypes: endpoint.eventTypes, secret: endpoint.secret, createdAt: endpoint.createdAt),
                status: .created
            )
        }
        router.get("/webhooks") { request, _ -> Response in
            let operatorId = try authenticator.restOperator(request)
            let listed = registry.endpoints(of: operatorId).map { Listed($0, backlog: dispatcher?.backlog(endpointId: $0.id) ?? 0) }
            return try Response.json(Listing(webhooks: listed))
        }
        router.delete("/webhooks/:id") { request, context -> Response in
            let operatorId = try authenticator.restOperator(request)
            let id = context.parameters.get("id") ?? ""
            let removed: Bool
            do {
                removed = try registry.remove(id: id, operatorId: operatorId)
            } catch {
                throw APIError.unavailable("cannot store the registration", code: "storage_unavailable")
            }
            guard removed else { throw APIError.notFound("no webhook \(id)", code: "webhook_not_found") }
            dispatcher?.remove(endpointId: id)
            return Response(status: .noContent)
        }
        router.get("/webhooks/:id/deliveries") { request, context -> Response in
            let operatorId = try authenticator.restOperator(request)
            let id = context.parameters.get("id") ?? ""
            guard registry.endpoint(id: id, operatorId: operatorId) != nil else {
                throw APIError.notFound("no webhook \(id)", code: "webhook_not_found")
            }
            return try Response.json(Deliveries(webhookId: id, deliveries: dispatcher?.deliveries(endpointId: id) ?? []))
        }
    }

    static func validatedURL(_ text: String?) throws -> String {
        guard let text, !text.isEmpty else { throw APIError.unprocessable("url is required", code: "missing_field") }
        guard text.utf8.count <= 2048, let url = URL(string: text), let scheme = url.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty else {
            throw APIError.unprocessable("url must be an absolute http:// or https:// URL", code: "invalid_url")
        }
        return text
    }

    static func validatedEventTypes(_ types: [String]?) throws -> [String] {
        guard let types else { return WebhookEndpoint.knownEventTypes }
        guard !types.isEmpty else { throw APIError.unprocessable("eventTypes must name at least one type", code: "invalid_event_types") }
        var seen = Set<String>()
        for type in types where !WebhookEndpoint.knownEventTypes.contains(type) {
            throw APIError.unprocessable(
                "unknown event type \(type); expected \(WebhookEndpoint.knownEventTypes.joined(separator: ", "))",
                code: "invalid_event_types"
            )
        }
        return types.filter { seen.insert($0).inserted }
    }

    static func nowMilliseconds() -> Int64 {
        Int64(Date().timeIntervalSince1970 * 1000)
    }
}
