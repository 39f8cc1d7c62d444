/// One live session of a room, as the REST API shows it and as it is persisted and published.
///
/// Transitions: `scheduled --start--> live --stop--> ended --replay--> ended` (with
/// `replayURL`); a replay may be republished (a new URL replaces the old one). Anything else is
/// illegal (HTTP 409). `version` grows by one per transition so that every process keeps the
/// newest copy when it applies snapshots from the pipeline.
public struct LiveSession: Codable, Sendable, Equatable {
    /// Unique id.
    public var id: String
    /// The room the session broadcasts to.
    public var room: String
    /// A title for people.
    public var title: String?
    /// The current state.
    public var state: LiveSessionState
    /// When it is planned to start (ms since 1970), if given.
    public var scheduledFor: Int64?
    /// When it was created (ms since 1970).
    public var createdAt: Int64
    /// When it started (ms since 1970).
    public var startedAt: Int64?
    /// When it stopped (ms since 1970).
    public var stoppedAt: Int64?
    /// Where its recording can be watched, once published.
    public var replayURL: String?
    /// Grows by one per transition.
    public var version: Int

    enum CodingKeys: String, CodingKey {
        case id, room, title, state, version
        case scheduledFor = "scheduled_for"
        case createdAt = "created_at"
        case startedAt = "started_at"
        case stoppedAt = "stopped_at"
        case replayURL = "replay_url"
    }

    /// A newly scheduled session.
    public init(id: String, room: String, title: String?, scheduledFor: Int64?, createdAt: Int64) {
        self.id = id
        self.room = room
        self.title = title
        self.state = .scheduled
        self.scheduledFor = scheduledFor
        self.createdAt = createdAt
        self.version = 1
    }

    /// Goes live; only from `scheduled`.
    public mutating func start(at now: Int64) throws(LiveRoomsError) {
        guard state == .scheduled else { throw .illegalTransition(sessionId: id, from: state, action: "start") }
        state = .live
        startedAt = now
        version += 1
    }

    /// Ends; only from `live`.
    public mutating func stop(at now: Int64) throws(LiveRoomsError) {
        guard state == .live else { throw .illegalTransition(sessionId: id, from: state, action: "stop") }
        state = .ended
        stoppedAt = now
        version += 1
    }

    /// Publishes the recording; only once `ended`. The URL must be http(s).
    public mutating func publishReplay(url: String) throws(LiveRoomsError) {
        guard state == .ended else { throw .illegalTransition(sessionId: id, from: state, action: "publish a replay") }
        guard Self.isHTTPURL(url) else { throw .invalidField("replay_url must be an http:// or https:// URL") }
        replayURL = url
        version += 1
    }

    static func isHTTPURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        let rest: Substring
        if lower.hasPrefix("https://") {
            rest = lower.dropFirst(8)
        } else if lower.hasPrefix("http://") {
            rest = lower.dropFirst(7)
        } else {
            return false
        }
        return !rest.isEmpty && !rest.hasPrefix("/") && !text.contains(where: { $0 == " " || $0 == "\n" })
    }
}
