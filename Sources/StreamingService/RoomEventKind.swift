import Foundation
import HTTPCore
import LiveRooms

/// What a stored room event means to the service itself. Only the service writes payloads of
/// type `moderation` and `session_*` (ingest refuses those types), always with `type` first,
/// so a prefix test is enough to skip parsing business events.
enum RoomEventKind: Sendable {
    /// A business, chat or other event: delivered to every viewer of the room.
    case plain
    /// A moderation command.
    case moderation(ModerationCommand)
    /// A session transition with the session's new snapshot.
    case session(LiveSession)

    private static let moderationPrefix = Array(#"{"type":"moderation","#.utf8)
    private static let sessionPrefix = Array(#"{"type":"session_"#.utf8)

    /// Classifies stored payload bytes.
    static func of(_ payload: [UInt8]) -> RoomEventKind {
        if payload.starts(with: moderationPrefix) {
            if let command = try? JSONDecoder().decode(ModerationCommand.self, from: Data(payload)) {
                return .moderation(command)
            }
        } else if payload.starts(with: sessionPrefix) {
            if let event = try? JSONDecoder().decode(SessionEventBody.self, from: Data(payload)) {
                return .session(event.session)
            }
        }
        return .plain
    }

    /// The viewer a message is reserved for (warnings), or nil when the whole room sees it.
    var onlyFor: String? {
        if case .moderation(let command) = self, command.action == .warn { return command.target }
        return nil
    }

    /// The payload of a moderation command: `{"type":"moderation","action":...,...}`.
    static func payload(of command: ModerationCommand) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = (try? encoder.encode(command)).map(Array.init) ?? Array("{}".utf8)
        var out = Array(#"{"type":"moderation","#.utf8)
        if let expiresAt = command.expiresAt {
            out += Array(#""expires_at":\#(expiresAt),"#.utf8)
        }
        out += body.dropFirst()
        return out
    }

    /// The payload of a session transition: `{"type":"session_started","session_id":...,
    /// "session":{...}}`, with `replay_url` on `session_replay`.
    static func payload(type: String, session: LiveSession) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = (try? encoder.encode(SessionEventBody(type: type, session: session))).map(Array.init) ?? Array("{}".utf8)
        return Array(#"{"type":"#.utf8) + Array(JSONText.quoted(type).utf8) + [UInt8(ascii: ",")] + body.dropFirst()
    }
}

/// The body of a session event, after its leading `type`.
struct SessionEventBody: Codable, Sendable {
    /// `session_scheduled`, `session_started`, `session_stopped` or `session_replay`.
    var type: String
    /// The session's id.
    var sessionId: String
    /// The session's room.
    var room: String
    /// Set on `session_replay` only.
    var replayURL: String?
    /// The session after the transition.
    var session: LiveSession

    /// The body of a `type` event about `session`.
    init(type: String, session: LiveSession) {
        self.type = type
        self.sessionId = session.id
        self.room = session.room
        self.replayURL = type == "session_replay" ? session.replayURL : nil
        self.session = session
    }

    enum CodingKeys: String, CodingKey {
        case type, room, session
        case sessionId = "session_id"
        case replayURL = "replay_url"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        // `type` is written first by the caller.
        try container.encode(sessionId, forKey: .sessionId)
        try container.encode(room, forKey: .room)
        try container.encodeIfPresent(replayURL, forKey: .replayURL)
        try container.encode(session, forKey: .session)
    }
}
