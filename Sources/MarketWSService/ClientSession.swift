import HummingbirdWebSocket
import Logging
import MarketFeed
import NIOCore
import Synchronization
import WebSocketCore

/// One authenticated socket's conversation: parses each message, answers it, and keeps the
/// socket usable after any bad input (an `ERROR` reply, never a close).
final class ClientSession: Sendable {
    let connection: WebSocketConnection
    let operatorId: String
    private let feed: MarketFeedHub
    private let logger: Logger
    /// `fromSeq` from the upgrade URL, used by the first SUBSCRIBE that has none.
    private let queryFromSequence: Mutex<UInt64?>

    init(connection: WebSocketConnection, operatorId: String, feed: MarketFeedHub, queryFromSequence: UInt64?, logger: Logger) {
        self.connection = connection
        self.operatorId = operatorId
        self.feed = feed
        self.queryFromSequence = Mutex(queryFromSequence)
        self.logger = logger
    }

    func handle(_ message: WebSocketMessage) async throws {
        guard case .text(let text) = message else {
            send(FeedMessage.error(code: "INVALID_MESSAGE", message: "Binary messages are not supported: send JSON text"))
            return
        }
        switch ClientRequest.parse(text) {
        case .failure(let error):
            send(FeedMessage.error(code: error.code, message: error.message))
        case .success(.ping):
            send(FeedMessage.pong)
        case .success(.unsubscribe(let marketIds)):
            for marketId in marketIds {
                feed.hub.unsubscribe(connection, from: marketId)
            }
            send(FeedMessage.unsubscribed(marketIds))
        case .success(.subscribe(let marketIds, let fromSequence)):
            try await subscribe(marketIds, fromSequence: fromSequence)
        }
    }

    private func subscribe(_ marketIds: [String], fromSequence: UInt64?) async throws {
        let unknown = marketIds.filter { !feed.isKnown($0) }
        let known = marketIds.filter { feed.isKnown($0) }
        if !unknown.isEmpty {
            send(FeedMessage.error(code: "UNKNOWN_MARKET", message: "Unknown market: \(unknown.joined(separator: ", "))"))
        }
        guard !known.isEmpty else { return }
        let queryFrom = queryFromSequence.withLock { value -> UInt64? in
            defer { value = nil }
            return value
        }
        send(FeedMessage.subscribed(known))
        guard let from = fromSequence ?? queryFrom else {
            feed.subscribeWithSnapshots(connection, to: known)
            return
        }
        let result: MarketFeedHub.ResumeResult
        do {
            result = try await feed.resume(connection, operatorId: operatorId, marketIds: known, after: from)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            logger.warning("resume failed", metadata: ["error": "\(error)"])
            send(FeedMessage.error(code: "RESUME_FAILED", message: "Cannot read past events now; starting from a snapshot"))
            feed.subscribeWithSnapshots(connection, to: known)
            return
        }
        switch result {
        case .resumed(let replayed):
            logger.debug("subscription resumed", metadata: ["ws.client.from_seq": "\(from)", "ws.client.replayed": "\(replayed)"])
        case .tooOld(let firstAvailable):
            send(FeedMessage.error(
                code: "RESUME_UNAVAILABLE",
                message: "Events after \(from) are no longer retained (first available: \(firstAvailable)); starting from a snapshot"
            ))
            feed.subscribeWithSnapshots(connection, to: known)
        }
    }

    private func send(_ bytes: [UInt8]) {
        connection.enqueue(ByteBuffer(bytes: bytes))
    }
}
