import NIOWebSocket

/// The close codes the suite sends. Standard codes come from RFC 6455; 4xxx are the suite's own,
/// documented in `docs/conventions.md`.
public enum CloseCode {
    /// 1000: normal closure.
    public static let normal = WebSocketErrorCode.normalClosure
    /// 1001: the server is shutting down (graceful shutdown on SIGTERM).
    public static let goingAway = WebSocketErrorCode.goingAway
    /// 1008: the client broke a policy (for example it is banned).
    public static let policyViolation = WebSocketErrorCode.policyViolation
    /// 1009: an inbound message exceeded the size limit.
    public static let messageTooBig = WebSocketErrorCode.messageTooLarge
    /// 4001: authentication failed (market-ws).
    public static let unauthorized = WebSocketErrorCode(codeNumber: 4001)
    /// 4003: the connection was refused by moderation (banned viewer).
    public static let banned = WebSocketErrorCode(codeNumber: 4003)
    /// 4008: slow consumer: the client did not read fast enough and its outbound queue
    /// overflowed. It may reconnect and resume from its last sequence.
    public static let slowConsumer = WebSocketErrorCode(codeNumber: 4008)
    /// 4029: too many messages from the client (rate limit).
    public static let rateLimited = WebSocketErrorCode(codeNumber: 4029)
}
