/// Why a live-room operation was refused: an illegal session transition, an unknown session,
/// a chat message the room's policy rejects.
public struct LiveRoomsError: Error, Equatable, Sendable, CustomStringConvertible {
    private enum Kind: Equatable, Sendable {
        case illegalTransition(sessionId: String, from: LiveSessionState, action: String)
        case unknownSession(String)
        case invalidField(String)
    }

    private let kind: Kind

    /// `action` is not allowed from the session's current state (HTTP 409).
    public static func illegalTransition(sessionId: String, from state: LiveSessionState, action: String) -> LiveRoomsError {
        .init(kind: .illegalTransition(sessionId: sessionId, from: state, action: action))
    }

    /// No session has this id (HTTP 404).
    public static func unknownSession(_ id: String) -> LiveRoomsError { .init(kind: .unknownSession(id)) }

    /// A value is not acceptable (HTTP 422).
    public static func invalidField(_ message: String) -> LiveRoomsError { .init(kind: .invalidField(message)) }

    /// True for an illegal state transition.
    public var isIllegalTransition: Bool {
        if case .illegalTransition = kind { return true }
        return false
    }

    /// True for an unknown session id.
    public var isUnknownSession: Bool {
        if case .unknownSession = kind { return true }
        return false
    }

    /// True for an unacceptable field value.
    public var isInvalidField: Bool {
        if case .invalidField = kind { return true }
        return false
    }

    /// A sentence naming the session or field at fault.
    public var description: String {
        switch kind {
        case .illegalTransition(let id, let state, let action):
            "session '\(id)' cannot \(action) while \(state.rawValue)"
        case .unknownSession(let id):
            "no session '\(id)'"
        case .invalidField(let message):
            message
        }
    }
}
