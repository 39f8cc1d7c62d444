/// One moderation decision, as published on the room (`{"type":"moderation",...}`) and applied
/// by every streaming process.
public struct ModerationCommand: Codable, Sendable, Equatable {
    /// Unique id (applying the same command twice changes nothing).
    public var id: String
    /// The room it applies to.
    public var room: String
    /// What is done.
    public var action: ModerationAction
    /// The viewer (customer id) it targets.
    public var target: String
    /// Why, for the viewer and the audit trail.
    public var reason: String
    /// How long a mute or ban lasts; nil means until lifted.
    public var durationSeconds: Int?
    /// When it was decided (ms since 1970).
    public var issuedAt: Int64

    enum CodingKeys: String, CodingKey {
        case id, room, action, target, reason
        case durationSeconds = "duration_seconds"
        case issuedAt = "issued_at"
    }

    /// A command as a moderator issued it.
    public init(id: String, room: String, action: ModerationAction, target: String, reason: String, durationSeconds: Int?, issuedAt: Int64) {
        self.id = id
        self.room = room
        self.action = action
        self.target = target
        self.reason = reason
        self.durationSeconds = durationSeconds
        self.issuedAt = issuedAt
    }

    /// When a mute or ban ends (ms since 1970); nil when it lasts until lifted.
    public var expiresAt: Int64? {
        durationSeconds.map { issuedAt + Int64($0) * 1000 }
    }

    /// Checks the fields a moderator typed: a non-empty target and reason, a positive duration
    /// (only for mute and ban).
    public func validate() throws(LiveRoomsError) {
        guard !target.isEmpty, target.count <= 256 else { throw .invalidField("target must be a viewer id of 1 to 256 characters") }
        guard !reason.isEmpty, reason.count <= 1000 else { throw .invalidField("reason must be 1 to 1000 characters") }
        if let durationSeconds {
            guard durationSeconds > 0, durationSeconds <= 366 * 86_400 else {
                throw .invalidField("duration_seconds must be between 1 and 31622400")
            }
            guard action == .mute || action == .ban else {
                throw .invalidField("duration_seconds only applies to mute and ban")
            }
        }
    }
}
