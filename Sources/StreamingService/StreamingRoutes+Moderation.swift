import Foundation
import HTTPCore
import Hummingbird
import Logging
import Metrics
import LiveRooms
import SecurityPrimitives

extension StreamingRoutes {
    /// `POST /moderation/rooms/{roomId}` (operator token): `{"action": "mute"|"ban"|"warn"|
    /// "unmute"|"unban", "target": viewerId, "reason": text, "duration_seconds": optional}`.
    /// Published on the room so every process applies it; 202 `{"room","seq","command"}`.
    func addModeration(to router: Router<Context>) {
        router.group("moderation/rooms").add(middleware: adminGuard).post(":roomId") { request, context in
            let room = try room(from: context)
            let (object, _) = try await jsonObject(request)
            guard let actionText = object["action"] as? String else {
                throw APIError.unprocessable("'action' (mute, ban, warn, unmute or unban) is required", code: "missing_field")
            }
            guard let action = ModerationAction(rawValue: actionText) else {
                throw APIError.unprocessable("unknown action '\(actionText)': expected mute, ban, warn, unmute or unban", code: "invalid_action")
            }
            guard let target = (object["target"] ?? object["viewer_id"]) as? String else {
                throw APIError.unprocessable("'target' (the viewer id) is required", code: "missing_field")
            }
            guard let reason = object["reason"] as? String else {
                throw APIError.unprocessable("'reason' (a string) is required", code: "missing_field")
            }
            var duration: Int?
            if let value = object["duration_seconds"], !(value is NSNull) {
                guard let seconds = JSONValue.integer(value) else {
                    throw APIError.unprocessable("'duration_seconds' must be a whole number of seconds", code: "invalid_field")
                }
                duration = seconds
            }
            let command = ModerationCommand(
                id: "mod_" + Hex.encode(SecureRandom.bytes(8)),
                room: room,
                action: action,
                target: target,
                reason: reason,
                durationSeconds: duration,
                issuedAt: WallTime.milliseconds()
            )
            do throws(LiveRoomsError) {
                try command.validate()
            } catch {
                throw APIError.unprocessable(error.description, code: "invalid_field")
            }
            let sequence = try await publish(room: room, payload: RoomEventKind.payload(of: command), idempotencyKey: nil, logger: context.logger)
            state.apply(moderation: command, sequence: nil, now: WallTime.milliseconds())
            metrics.moderation(action.rawValue)
            context.logger.info("moderation", metadata: ["room.id": "\(room)", "viewer.id": "\(target)", "moderation.action": "\(action.rawValue)"])
            return try Response.json(ModerationReceipt(room: room, seq: sequence, command: command), status: .accepted)
        }
    }
}

/// `POST /moderation/rooms/{roomId}` answer.
struct ModerationReceipt: Encodable {
    /// The room moderated.
    var room: String
    /// The sequence of the moderation event on the room.
    var seq: UInt64
    /// The command as applied.
    var command: ModerationCommand
}
