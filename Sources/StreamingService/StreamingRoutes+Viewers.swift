import Foundation
import HTTPCore
import Hummingbird
import HummingbirdWebSocket
import LiveRooms
import Logging
import Metrics
import NIOWebSocket
import NIOCore
import Pipeline
import WebSocketCore

extension StreamingRoutes {
    /// What a viewer's upgrade request says: who, which room, from where to resume.
    struct ViewerRequest: Sendable {
        /// The viewer's customer id.
        var viewer: String
        /// The room joined.
        var room: String
        /// The last `seq` the viewer saw, when it resumes.
        var lastSequence: UInt64?
    }

    /// `GET /ws/rooms/{roomId}`: checked before the upgrade (room, identity, `last_seq`, ban,
    /// entitlement, capacity): a refusal is an HTTP error and no socket. Then room events as
    /// envelopes, and the viewer's chat (`{"type":"chat","text":...}`).
    func addViewerSocket(to router: Router<Context>) {
        router.ws("/ws/rooms/:roomId", shouldUpgrade: { request, context in
            let viewerRequest: ViewerRequest
            do {
                viewerRequest = try parseViewerRequest(request, context: context)
            } catch let error as APIError {
                metrics.viewerRefused(error.code)
                throw error
            }
            if let ban = state.ban(of: viewerRequest.viewer, in: viewerRequest.room, at: WallTime.milliseconds()) {
                metrics.viewerRefused("banned")
                throw APIError.forbidden("viewer '\(viewerRequest.viewer)' is banned from room '\(viewerRequest.room)': \(ban.reason)", code: "banned")
            }
            do {
                try await EntitlementMiddleware<Context>.check(capability: configuration.viewerCapability, customerId: viewerRequest.viewer, provider: entitlements, logger: context.logger)
            } catch let error as APIError {
                metrics.viewerRefused(error.code)
                throw error
            }
            guard hub.hasCapacity else {
                metrics.viewerRefused("too_many_connections")
                throw APIError.unavailable("too many viewers connected", code: "too_many_connections")
            }
            return .upgrade([:])
        }) { inbound, outbound, context in
            guard let viewerRequest = try? parseViewerRequest(context.request, context: context.requestContext) else { return }
            try await serveViewer(viewerRequest, inbound: inbound, outbound: outbound, channel: context.requestContext.channel, logger: context.logger)
        }
    }

    /// Reads room, identity and `last_seq` (alias `after`) from an upgrade request.
    func parseViewerRequest(_ request: Request, context: Context) throws -> ViewerRequest {
        let room = try room(from: context)
        let viewer = try viewerIdentity(request)
        let query = request.uri.queryParameters
        var lastSequence: UInt64?
        if let text = query.get("last_seq") ?? query.get("after") {
            guard let value = UInt64(text) else {
                throw APIError.badRequest("'last_seq' must be a non-negative integer (the last seq received)", code: "invalid_last_seq")
            }
            lastSequence = value
        }
        return ViewerRequest(viewer: viewer, room: room, lastSequence: lastSequence)
    }

    /// The viewer: `X-Customer-Id` / `X-User-Id`, else a signed `?token=`, else `?customer_id=`
    /// (unless `STREAMING_QUERY_IDENTITY=0`).
    func viewerIdentity(_ request: Request) throws -> String {
        let viewer: String
        if let id = EntitlementMiddleware<Context>.identity(request.headers) {
            viewer = id
        } else if let token = request.uri.queryParameters.get("token") {
            guard let viewerTokens, let id = viewerTokens.verify(String(token), now: WallTime.seconds()) else {
                throw APIError.unauthorized("invalid or expired viewer token", code: "invalid_token")
            }
            viewer = id
        } else if configuration.acceptsQueryIdentity, let id = request.uri.queryParameters.get("customer_id"), !id.isEmpty {
            viewer = String(id)
        } else {
            throw APIError.unauthorized("missing identity: send X-Customer-Id, ?token= or ?customer_id=", code: "missing_identity")
        }
        guard viewer.count <= 256 else { throw APIError.badRequest("viewer id longer than 256 characters", code: "invalid_identity") }
        return viewer
    }

    /// Runs one viewer's socket: delivery (with catch-up) and inbound chat.
    func serveViewer(_ request: ViewerRequest, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, channel: any Channel, logger: Logger) async throws {
        guard let connection = hub.open(attributes: [ViewerAttribute.viewer: request.viewer, ViewerAttribute.room: request.room]) else {
            // At the connection limit or shutting down: 1013, try again later.
            try? await outbound.close(WebSocketErrorCode(codeNumber: 1013), reason: "try again later")
            return
        }
        var viewerLogger = logger
        viewerLogger[metadataKey: "room.id"] = "\(request.room)"
        viewerLogger[metadataKey: "viewer.id"] = "\(request.viewer)"
        viewerLogger[metadataKey: "ws.connection"] = "\(connection.id)"
        let logger = viewerLogger
        let attaching = Task { [fanout, state, logger] in
            do {
                try await fanout.attach(connection, viewer: request.viewer, room: request.room, after: request.lastSequence)
                // A ban applied between the upgrade check and now.
                if state.ban(of: request.viewer, in: request.room, at: WallTime.milliseconds()) != nil {
                    connection.close(code: CloseCode.banned, reason: "banned")
                }
            } catch {
                if Task.isCancelled { return }
                logger.warning("catch-up failed", metadata: ["error": "\(error)"])
                connection.enqueue(RoomEnvelope.error(room: request.room, timestamp: WallTime.milliseconds(), code: "catchup_unavailable", message: "cannot replay missed events now; reconnect with the same last_seq"))
                connection.close(code: .unexpectedServerError, reason: "catch-up unavailable")
            }
        }
        logger.debug("viewer joined")
        do {
            try await hub.serve(connection, inbound: inbound, outbound: outbound, channel: channel, logger: logger) { message in
                await receive(message, from: request, connection: connection, logger: logger)
            }
        } catch {
            await finishAttaching(attaching, connection: connection, room: request.room)
            throw error
        }
        await finishAttaching(attaching, connection: connection, room: request.room)
    }

    /// Stops a catch-up still running for a socket that ended, then forgets the connection
    /// (after the task, so that it cannot register the connection again).
    private func finishAttaching(_ attaching: Task<Void, Never>, connection: WebSocketConnection, room: String) async {
        attaching.cancel()
        await attaching.value
        fanout.forget(connection, room: room)
    }

    /// Handles one inbound message: chat, or an `error` message back to this viewer only.
    func receive(_ message: WebSocketMessage, from request: ViewerRequest, connection: WebSocketConnection, logger: Logger) async {
        func refuse(_ code: String, _ text: String) {
            metrics.chatRejected(code)
            connection.enqueue(RoomEnvelope.error(room: request.room, timestamp: WallTime.milliseconds(), code: code, message: text))
        }
        guard case .text(let text) = message else {
            refuse("unsupported_message", "send JSON text messages, for example {\"type\":\"chat\",\"text\":\"hello\"}")
            return
        }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else {
            refuse("malformed_json", "the message is not a JSON object")
            return
        }
        guard let type = object["type"] as? String else {
            refuse("missing_type", "the message has no string 'type'")
            return
        }
        guard type == "chat" else {
            refuse("unknown_type", "unknown message type '\(type)': viewers may send 'chat'")
            return
        }
        guard let chatText = object["text"] as? String else {
            refuse("invalid_chat", "a chat message needs a string 'text'")
            return
        }
        let now = WallTime.milliseconds()
        if let rejection = configuration.chat.check(text: chatText) {
            refuse(rejection.code, rejection.message)
            return
        }
        if let mute = state.mute(of: request.viewer, in: request.room, at: now) {
            let rejection = ChatRejection.muted(reason: mute.reason, until: mute.until)
            refuse(rejection.code, rejection.message)
            return
        }
        if let rejection = chatGate.admit(viewer: request.viewer, room: request.room, at: now) {
            refuse(rejection.code, rejection.message)
            return
        }
        var payload = Array(#"{"type":"chat","viewer":"#.utf8)
        JSONText.appendString(request.viewer, to: &payload)
        payload += Array(#","text":"#.utf8)
        JSONText.appendString(chatText, to: &payload)
        payload += Array(#","sent_at":\#(now)}"#.utf8)
        do {
            let sequence = try await pipeline.publish(subject: RoomName.subject(request.room), payload: payload, idempotencyKey: nil)
            metrics.chatAccepted.increment()
            // The chat log of the room, for consumers of `chat.{roomId}` (archives, moderation tools).
            do {
                _ = try await pipeline.publish(subject: RoomName.chatSubject(request.room), payload: payload, idempotencyKey: "room-seq-\(sequence)")
            } catch {
                logger.warning("chat log publish failed", metadata: ["error": "\(error)"])
            }
        } catch {
            logger.error("chat publish failed", metadata: ["error": "\(error)"])
            refuse("unavailable", "chat is unavailable now; retry later")
        }
    }
}
