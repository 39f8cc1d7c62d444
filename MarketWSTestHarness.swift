import Foundation
import HTTPCore
import Hummingbird
import HummingbirdTesting
import Logging
import MarketEngine
import MarketFeed
import MarketWSService
import Pipeline
import WebSocketCore

/// Builds market-ws over a memory pipeline with two operators (`op-a`/`key-a`,
/// `op-b`/`key-b`), and drives a real engine whose events it publishes like order-router.
struct MarketWSTestHarness {
    static let logger: Logger = {
        var logger = Logger(label: "market-ws-test")
        logger.logLevel = .error
        return logger
    }()

    let pipeline: MemoryPipeline
    let built: MarketWSApplication.Built
    var engine = MarketEngine(clock: { Int64(Date().timeIntervalSince1970 * 1000) })

    init(
        heartbeat: Duration? = nil,
        resumeBuffer: Int = 100_000,
        markets: [String] = [],
        webhookPolicy: WebhookRetryPolicy = WebhookRetryPolicy(maxAttempts: 200, initialDelay: .milliseconds(50), maxDelay: .milliseconds(200), requestTimeout: .seconds(2)),
        dataDirectory: URL? = nil,
        maxQueuedMessages: Int = 4096
    ) throws {
        pipeline = MemoryPipeline()
        let configuration = MarketWSConfiguration(
            http: HTTPServerSettings(host: "127.0.0.1", port: 0, logLevel: .error),
            webSocket: WebSocketSettings(maxQueuedMessages: maxQueuedMessages),
            operatorKeys: try OperatorKeyStore(developmentKeys: "op-a:key-a,op-b:key-b"),
            markets: markets,
            heartbeatInterval: heartbeat,
            resumeBufferCapacity: resumeBuffer,
            dataDirectory: dataDirectory,
            webhookPolicy: webhookPolicy
        )
        built = try MarketWSApplication.build(configuration: configuration, pipeline: pipeline, logger: Self.logger)
    }

    var feed: MarketFeedHub { built.feed }

    /// Runs a command on the engine and publishes its events; returns their sequences.
    @discardableResult
    mutating func apply(_ command: EngineCommand) async throws -> [(UInt64, MarketEvent)] {
        let outcome = try engine.apply(command)
        var published: [(UInt64, MarketEvent)] = []
        for event in outcome.events {
            let sequence = try await pipeline.publish(subject: "market.\(event.marketId)", payload: EventJSONEncoder().encode(event))
            published.append((sequence, event))
        }
        return published
    }

    @discardableResult
    mutating func createMarket(_ id: String) async throws -> [(UInt64, MarketEvent)] {
        try await apply(.createMarket(.binary(marketId: id)))
    }

    @discardableResult
    mutating func place(_ marketId: String, _ side: OrderSide, price: FixedDecimal, shares: FixedDecimal, operatorId: String,
                        outcome: String = "yes") async throws -> [(UInt64, MarketEvent)] {
        try await apply(.placeOrder(PlaceOrder(marketId: marketId, outcomeId: "\(marketId)-\(outcome)", side: side, type: .limit,
                                               shares: shares, price: price, operatorId: operatorId, playerId: "player-1")))
    }

    /// Waits until the node applied every event published so far.
    func waitForFeed(_ sequence: UInt64) async throws {
        try await waitUntil("feed at \(sequence)") { feed.lastSequence >= sequence }
    }
}
