/// Where a live session is in its life: scheduled, then live, then ended (possibly with a replay).
public enum LiveSessionState: String, Codable, Sendable, CaseIterable {
    /// Planned, not started.
    case scheduled
    /// Broadcasting now.
    case live
    /// Stopped; a replay may be published.
    case ended
}
