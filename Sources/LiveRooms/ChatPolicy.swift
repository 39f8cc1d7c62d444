/// The limits on viewers' chat: length and rate.
public struct ChatPolicy: Sendable, Equatable {
    /// Longest accepted text, in characters (grapheme clusters).
    public var maxLength: Int
    /// Messages a viewer may send per window.
    public var maxMessages: Int
    /// The rate window, in milliseconds.
    public var windowMilliseconds: Int64

    /// The defaults: 500 characters, 5 messages per 10 s.
    public init(maxLength: Int = 500, maxMessages: Int = 5, windowMilliseconds: Int64 = 10_000) {
        self.maxLength = maxLength
        self.maxMessages = maxMessages
        self.windowMilliseconds = windowMilliseconds
    }

    /// Why a text is refused, or nil when its content is acceptable.
    public func check(text: String) -> ChatRejection? {
        if text.allSatisfy({ $0.isWhitespace }) { return .empty }
        if text.count > maxLength { return .tooLong(maxLength) }
        return nil
    }
}

/// Why a chat message was refused; `code` is what the viewer's error message carries.
public enum ChatRejection: Sendable, Equatable {
    /// Empty or only spaces.
    case empty
    /// Longer than the limit (given).
    case tooLong(Int)
    /// The viewer is muted (reason, end in ms or nil).
    case muted(reason: String, until: Int64?)
    /// Too many messages in the window; retry after this many milliseconds.
    case rateLimited(retryAfterMilliseconds: Int64)

    /// The stable error code sent to the viewer.
    public var code: String {
        switch self {
        case .empty: "chat_empty"
        case .tooLong: "chat_too_long"
        case .muted: "muted"
        case .rateLimited: "rate_limited"
        }
    }

    /// A message for people.
    public var message: String {
        switch self {
        case .empty: "chat text is empty"
        case .tooLong(let limit): "chat text exceeds \(limit) characters"
        case .muted(let reason, _): "you are muted in this room: \(reason)"
        case .rateLimited(let retry): "too many chat messages; retry in \(max(1, (retry + 999) / 1000)) s"
        }
    }
}
