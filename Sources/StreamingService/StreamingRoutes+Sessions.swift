import Foundation
import HTTPCore
import Hummingbird
import LiveRooms
import Logging
import SecurityPrimitives

extension StreamingRoutes {
    /// Live sessions: `POST /sessions`, `POST /sessions/{id}/start|stop|replay` (operator
    /// token), `GET /sessions/{id}` and `GET /sessions?room=` (the history capability).
    func addSessions(to router: Router<Context>) {
        let operators = router.group("sessions").add(middleware: adminGuard)
        operators.post { request, context in
            try await schedule(request, context: context)
        }
        operators.post(":id/start") { _, context in
            let id = context.parameters.get("id") ?? ""
            return try await transition(id, type: "session_started", logger: context.logger) { (session: inout LiveSession) throws(LiveRoomsError) in
                try session.start(at: WallTime.milliseconds())
            }
        }
        operators.post(":id/stop") { _, context in
            let id = context.parameters.get("id") ?? ""
            return try await transition(id, type: "session_stopped", logger: context.logger) { (session: inout LiveSession) throws(LiveRoomsError) in
                try session.stop(at: WallTime.milliseconds())
            }
        }
        operators.post(":id/replay") { request, context in
            let id = context.parameters.get("id") ?? ""
            let (object, _) = try await jsonObject(request)
            guard let url = object["replay_url"] as? String else {
                throw APIError.unprocessable("'replay_url' (a string) is required", code: "missing_field")
            }
            return try await transition(id, type: "session_replay", logger: context.logger) { (session: inout LiveSession) throws(LiveRoomsError) in
                try session.publishReplay(url: url)
            }
        }

        let readers = router.group("sessions").add(middleware: EntitlementMiddleware(capability: configuration.historyCapability, provider: entitlements))
        readers.get(":id") { _, context in
            let id = context.parameters.get("id") ?? ""
            guard let session = state.session(id) else { throw APIError.notFound("no session '\(id)'", code: "unknown_session") }
            return try Response.json(session)
        }
        readers.get { request, _ in
            let room = request.uri.queryParameters.get("room").map { String($0) }
            if let room, !configuration.roomExists(room) { throw APIError.notFound("no room '\(room)'", code: "unknown_room") }
            return try Response.json(SessionList(sessions: state.sessions(room: room)))
        }
    }

    private func schedule(_ request: Request, context: Context) async throws -> Response {
        let (object, _) = try await jsonObject(request)
        let room: String
        if let named = object["room"] {
            guard let named = named as? String else { throw APIError.unprocessable("'room' must be a string", code: "invalid_room") }
            room = named
        } else {
            room = configuration.defaultRoom
        }
        guard configuration.roomExists(room) else { throw APIError.notFound("no room '\(room)'", code: "unknown_room") }
        var title: String?
        if let value = object["title"] {
            guard let text = value as? String, text.count <= 200 else { throw APIError.unprocessable("'title' must be a string of at most 200 characters", code: "invalid_field") }
            title = text
        }
        var scheduledFor: Int64?
        if let value = object["scheduled_for"] {
            if let text = value as? String, let date = ISO8601DateFormatter().date(from: text) {
                scheduledFor = Int64(date.timeIntervalSince1970 * 1000)
            } else if let milliseconds = JSONValue.integer(value), milliseconds >= 0 {
                scheduledFor = Int64(milliseconds)
            } else {
                throw APIError.unprocessable("'scheduled_for' must be an ISO-8601 date or milliseconds since 1970", code: "invalid_field")
            }
        }
        let id: String
        if let value = object["id"] {
            guard let text = value as? String, RoomName.isValid(text) else {
                throw APIError.unprocessable("'id' must be 1 to 64 letters, digits, '-' or '_'", code: "invalid_field")
            }
            id = text
        } else {
            id = "ses_" + Hex.encode(SecureRandom.bytes(8))
        }
        let session = LiveSession(id: id, room: room, title: title, scheduledFor: scheduledFor, createdAt: WallTime.milliseconds())
        guard state.claim(id) else { throw APIError.conflict("session '\(id)' is being changed", code: "transition_in_progress") }
        defer { state.release(id) }
        do {
            try state.validateNew(session)
        } catch {
            throw APIError.conflict(error.description, code: "session_exists")
        }
        _ = try await publish(room: room, payload: RoomEventKind.payload(type: "session_scheduled", session: session), idempotencyKey: nil, logger: context.logger)
        state.apply(session: session, sequence: nil)
        context.logger.info("session scheduled", metadata: ["room.id": "\(room)", "session.id": "\(id)"])
        return try Response.json(session, status: .created)
    }

    private func transition(
        _ id: String,
        type: String,
        logger: Logger,
        change: (inout LiveSession) throws(LiveRoomsError) -> Void
    ) async throws -> Response {
        guard state.session(id) != nil else { throw APIError.notFound("no session '\(id)'", code: "unknown_session") }
        guard state.claim(id) else { throw APIError.conflict("session '\(id)' is being changed", code: "transition_in_progress") }
        defer { state.release(id) }
        let session: LiveSession
        do {
            session = try state.proposed(id, change)
        } catch {
            if error.isUnknownSession { throw APIError.notFound(error.description, code: "unknown_session") }
            if error.isIllegalTransition { throw APIError.conflict(error.description, code: "illegal_transition") }
            throw APIError.unprocessable(error.description, code: "invalid_field")
        }
        _ = try await publish(room: session.room, payload: RoomEventKind.payload(type: type, session: session), idempotencyKey: nil, logger: logger)
        state.apply(session: session, sequence: nil)
        logger.info("session changed", metadata: ["room.id": "\(session.room)", "session.id": "\(id)", "session.state": "\(session.state.rawValue)"])
        return try Response.json(session)
    }
}

/// `GET /sessions` answer.
struct SessionList: Encodable {
    /// Oldest first.
    var sessions: [LiveSession]
}
