import Foundation

/// The WebSocket message pushed when a watchlist changes:
/// `{"type": "watchlist.update", "payload": {...}}`.
public struct WatchlistUpdateMessage: Hashable, Sendable, Codable {
    /// The message type the seed names.
    public static let messageType = "watchlist.update"

    /// Always ``messageType``.
    public let type: String
    /// The full new state of the watchlist (clients replace their copy with it).
    public let payload: WatchlistPayload

    /// Wraps a payload.
    public init(payload: WatchlistPayload) {
        self.type = Self.messageType
        self.payload = payload
    }

    /// The message as compact JSON, ready to be written once and fanned out.
    public func jsonData() throws -> Data {
        try JSONEncoder().encode(self)
    }
}
