import Entitlements
import Foundation
import HTTPCore
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import LiveRooms
import Logging
import Pipeline
import SecurityPrimitives
import Synchronization
import WebSocketCore

/// The HTTP and WebSocket endpoints of the streaming service and what they share.
struct StreamingRoutes: Sendable {
    /// The request context of the one router (HTTP and WebSocket routes).
    typealias Context = WebSocketServiceContext

    /// The service configuration.
    let configuration: StreamingConfiguration
    /// Where room events are published and replayed from.
    let pipeline: any EventPipeline
    /// Who may join rooms and read history.
    let entitlements: any EntitlementsProvider
    /// Sessions and moderation.
    let state: RoomState
    /// The viewers' sockets.
    let hub: TopicHub
    /// Delivery of room events, with catch-up.
    let fanout: RoomFanout
    /// The service's own metrics.
    let metrics: StreamingMetrics
    /// The chat rate limit of this process.
    let chatGate: ChatGate
    /// The viewer-token verifier, when a secret is configured.
    let viewerTokens: ViewerToken?

    /// Gathers what the endpoints share.
    init(configuration: StreamingConfiguration, pipeline: any EventPipeline, entitlements: any EntitlementsProvider, state: RoomState, hub: TopicHub, fanout: RoomFanout, metrics: StreamingMetrics) {
        self.configuration = configuration
        self.pipeline = pipeline
        self.entitlements = entitlements
        self.state = state
        self.hub = hub
        self.fanout = fanout
        self.metrics = metrics
        self.chatGate = ChatGate(policy: configuration.chat)
        self.viewerTokens = configuration.viewerTokenSecret.map(ViewerToken.init(secret:))
    }

    /// Adds every endpoint to `router`.
    func register(on router: Router<Context>) {
        addIngest(to: router)
        addSessions(to: router)
        addModeration(to: router)
        addHistory(to: router)
        addViewerTokens(to: router)
        addViewerSocket(to: router)
    }

    // MARK: Shared helpers

    /// The operator-token guard of session and moderation changes.
    var adminGuard: AdminTokenMiddleware<Context> {
        AdminTokenMiddleware(token: configuration.adminToken)
    }

    /// The room path parameter, 404 when the room does not exist.
    func room(from context: Context) throws -> String {
        let room = context.parameters.get("roomId") ?? ""
        guard configuration.roomExists(room) else {
            throw APIError.notFound("no room '\(room)': room names are 1 to 64 letters, digits, '-' or '_'" + (configuration.knownRooms == nil ? "" : " and must be configured in STREAMING_ROOMS"), code: "unknown_room")
        }
        return room
    }

    /// Publishes a payload to a room and maps pipeline failures to 503.
    func publish(room: String, payload: [UInt8], idempotencyKey: String?, logger: Logger) async throws -> UInt64 {
        do {
            return try await pipeline.publish(subject: RoomName.subject(room), payload: payload, idempotencyKey: idempotencyKey)
        } catch let error as PipelineError where error.isUnavailable {
            logger.error("pipeline unavailable", metadata: ["room.id": "\(room)", "error": "\(error)"])
            throw APIError.unavailable("the event pipeline is unavailable; retry later", code: "pipeline_unavailable")
        }
    }

    /// Reads a JSON object body: 400 `malformed_json` when it is not one.
    func jsonObject(_ request: Request) async throws -> (object: [String: Any], bytes: [UInt8]) {
        let buffer = try await request.collectBody(limit: configuration.http.maxBodyBytes)
        let bytes = Array(buffer.readableBytesView)
        guard !bytes.isEmpty else { throw APIError.badRequest("request body is empty; expected a JSON object", code: "malformed_json") }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] else {
            throw APIError.badRequest("request body is not a JSON object", code: "malformed_json")
        }
        return (object, bytes)
    }

    /// Encodes a value as JSON bytes (sorted keys, slashes unescaped).
    static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map(Array.init) ?? Array("{}".utf8)
    }
}

/// `ServiceTokenMiddleware` for the operator token, or a refusal of every call when no
/// `STREAMING_ADMIN_TOKEN` is configured.
struct AdminTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    private let guardMiddleware: ServiceTokenMiddleware<Context>?

    /// Guards with `token`, or refuses everything when it is nil.
    init(token: String?) {
        guardMiddleware = token.map { ServiceTokenMiddleware(tokens: [$0], realm: "streaming.admin") }
    }

    /// Checks the operator token, then runs the route.
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let guardMiddleware else {
            throw APIError.unauthorized("operator endpoints are disabled: STREAMING_ADMIN_TOKEN is not set", code: "admin_disabled")
        }
        return try await guardMiddleware.handle(request, context: context, next: next)
    }
}
