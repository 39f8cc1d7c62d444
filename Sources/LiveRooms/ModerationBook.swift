/// Who is muted or banned in which room, and until when.
///
/// A value type kept behind a lock by the service and persisted; every process applies the
/// same commands (from the pipeline), so all agree. Times are milliseconds since 1970, passed
/// in so that the rules are testable without a clock.
public struct ModerationBook: Codable, Sendable, Equatable {
    /// One restriction: until when (nil: until lifted) and why.
    public struct Restriction: Codable, Sendable, Equatable {
        /// When it ends (ms since 1970), nil for until lifted.
        public var until: Int64?
        /// The moderator's reason.
        public var reason: String
        /// The command that set it.
        public var commandId: String

        /// Whether it still holds at `now`.
        public func isActive(at now: Int64) -> Bool {
            guard let until else { return true }
            return now < until
        }
    }

    private var mutes: [String: [String: Restriction]] = [:]
    private var bans: [String: [String: Restriction]] = [:]
    private var applied: Set<String> = []

    /// An empty book: nobody muted or banned.
    public init() {}

    /// Applies a command; returns false when it was already applied (same id).
    @discardableResult
    public mutating func apply(_ command: ModerationCommand) -> Bool {
        guard applied.insert(command.id).inserted else { return false }
        let restriction = Restriction(until: command.expiresAt, reason: command.reason, commandId: command.id)
        switch command.action {
        case .mute: mutes[command.room, default: [:]][command.target] = restriction
        case .ban: bans[command.room, default: [:]][command.target] = restriction
        case .unmute: mutes[command.room]?[command.target] = nil
        case .unban: bans[command.room]?[command.target] = nil
        case .warn: break
        }
        return true
    }

    /// The active ban of `viewer` in `room`, if any.
    public func ban(of viewer: String, in room: String, at now: Int64) -> Restriction? {
        guard let restriction = bans[room]?[viewer], restriction.isActive(at: now) else { return nil }
        return restriction
    }

    /// The active mute of `viewer` in `room`, if any.
    public func mute(of viewer: String, in room: String, at now: Int64) -> Restriction? {
        guard let restriction = mutes[room]?[viewer], restriction.isActive(at: now) else { return nil }
        return restriction
    }

    /// Forgets expired restrictions (keeps the file small).
    public mutating func prune(at now: Int64) {
        for room in mutes.keys { mutes[room] = mutes[room]?.filter { $0.value.isActive(at: now) } }
        for room in bans.keys { bans[room] = bans[room]?.filter { $0.value.isActive(at: now) } }
    }
}
