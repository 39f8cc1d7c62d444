/// What a moderator does to a viewer.
public enum ModerationAction: String, Codable, Sendable, CaseIterable {
    /// The viewer's chat is rejected until the mute expires.
    case mute
    /// The viewer is disconnected (close 4003) and refused until the ban expires.
    case ban
    /// A message that reaches the target viewer only; no lasting effect.
    case warn
    /// Lifts a mute.
    case unmute
    /// Lifts a ban.
    case unban
}
