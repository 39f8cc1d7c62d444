import Foundation
import HTTPCore
import Hummingbird
import Logging
import Metrics

extension StreamingRoutes {
    /// Payload types only the service itself writes: producers cannot forge them.
    static let reservedTypes: Set<String> = ["moderation", "chat", "error", "catchup_gap"]

    /// `POST /ingest/reports` and `POST /ingest/inplay`: a producer's payload onto a room.
    ///
    /// Body: `{"room": "optional", "payload": {...}}`, or a bare JSON object that is the payload
    /// itself (its room then comes from `?room=` or `STREAMING_ROOM_ID`). 202
    /// `{"room":..., "seq": N}`; `X-Idempotency-Key` makes a retry return the first sequence.
    func addIngest(to router: Router<Context>) {
        router.group("ingest/reports")
            .add(middleware: ServiceTokenMiddleware(tokens: configuration.reportsTokens, realm: "ingest.reports"))
            .post { request, context in
                let response = try await ingest(request, context: context, source: "reports")
                metrics.ingestedReports.increment()
                return response
            }
        router.group("ingest/inplay")
            .add(middleware: ServiceTokenMiddleware(tokens: configuration.inplayTokens, realm: "ingest.inplay"))
            .post { request, context in
                let response = try await ingest(request, context: context, source: "inplay")
                metrics.ingestedInplay.increment()
                return response
            }
    }

    private func ingest(_ request: Request, context: Context, source: String) async throws -> Response {
        let (object, bytes) = try await jsonObject(request)
        var room = request.uri.queryParameters.get("room").map { String($0) } ?? configuration.defaultRoom
        let payload: [String: Any]
        let payloadBytes: [UInt8]
        if let inner = object["payload"], Set(object.keys).isSubset(of: ["room", "payload"]) {
            guard let innerObject = inner as? [String: Any] else {
                throw APIError.badRequest("'payload' must be a JSON object", code: "invalid_payload")
            }
            if let named = object["room"] {
                guard let named = named as? String else { throw APIError.badRequest("'room' must be a string", code: "invalid_room") }
                room = named
            }
            payload = innerObject
            if let range = RawJSONMembers.valueRanges(in: bytes)?["payload"] {
                payloadBytes = Array(bytes[range])
            } else {
                payloadBytes = Array(try JSONSerialization.data(withJSONObject: innerObject, options: [.sortedKeys, .withoutEscapingSlashes]))
            }
        } else {
            payload = object
            payloadBytes = bytes
        }
        guard RoomName.isValid(room) else {
            throw APIError.unprocessable("room '\(room)' is not a room name (1 to 64 letters, digits, '-' or '_')", code: "invalid_room")
        }
        guard configuration.roomExists(room) else {
            throw APIError.notFound("no room '\(room)'", code: "unknown_room")
        }
        if let type = payload["type"] {
            guard let type = type as? String else {
                throw APIError.unprocessable("payload 'type' must be a string", code: "invalid_type")
            }
            if Self.reservedTypes.contains(type) || type.hasPrefix("session_") {
                throw APIError.unprocessable("payload type '\(type)' is reserved for the streaming service", code: "reserved_type")
            }
        }
        // Keys are remembered per pipeline stream (all rooms): scope them by producer and room.
        let key = request.headers[.idempotencyKey].map { "\(source):\(room):\($0)" }
        let sequence = try await publish(room: room, payload: payloadBytes, idempotencyKey: key, logger: context.logger)
        context.logger.debug("ingested", metadata: ["room.id": "\(room)", "ingest.source": "\(source)", "event.seq": "\(sequence)"])
        var body = Array(#"{"room":"#.utf8)
        JSONText.appendString(room, to: &body)
        body += Array(#","seq":\#(sequence)}"#.utf8)
        return Response.json(bytes: body, status: .accepted)
    }
}
