/// Every known session, by id: the state the REST API reads and changes.
///
/// A value type: the service keeps it behind a lock and persists it. ``apply(_:)`` merges a
/// snapshot seen on the pipeline (from this process or another), keeping the highest version.
public struct LiveSessionBook: Codable, Sendable, Equatable {
    private var sessions: [String: LiveSession] = [:]

    /// An empty book.
    public init() {}

    /// The session with this id.
    public func session(_ id: String) -> LiveSession? { sessions[id] }

    /// Sessions of a room (all rooms when nil), oldest first.
    public func sessions(room: String?) -> [LiveSession] {
        sessions.values
            .filter { room == nil || $0.room == room }
            .sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    /// How many sessions are known.
    public var count: Int { sessions.count }

    /// Adds a new session; the id must be new.
    public mutating func schedule(_ session: LiveSession) throws(LiveRoomsError) {
        guard sessions[session.id] == nil else { throw .invalidField("session '\(session.id)' already exists") }
        sessions[session.id] = session
    }

    /// Runs a transition on a known session and returns the new state (not stored: call
    /// ``apply(_:)`` once it has been published).
    public func transition(_ id: String, _ change: (inout LiveSession) throws(LiveRoomsError) -> Void) throws(LiveRoomsError) -> LiveSession {
        guard var session = sessions[id] else { throw .unknownSession(id) }
        try change(&session)
        return session
    }

    /// Stores a snapshot unless a newer version is already known. Returns true when it changed
    /// the book.
    @discardableResult
    public mutating func apply(_ snapshot: LiveSession) -> Bool {
        if let known = sessions[snapshot.id], known.version >= snapshot.version { return false }
        sessions[snapshot.id] = snapshot
        return true
    }
}
