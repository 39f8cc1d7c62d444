import Foundation
import HTTPTypes
import HummingbirdTesting
import MarketEngine
import OrderRouterService
import Pipeline
import Synchronization
import Testing

/// A memory pipeline that refuses publishes while ``failing`` is set (a broker outage).
final class FlakyPipeline: EventPipeline {
    let inner = MemoryPipeline()
    let failing = Atomic<Bool>(false)
    let refused = Atomic<Int>(0)

    func publish(subject: String, payload: [UInt8], idempotencyKey: String?) async throws -> UInt64 {
        if failing.load(ordering: .relaxed) {
            refused.add(1, ordering: .relaxed)
            throw PipelineError.unavailable("test outage")
        }
        return try await inner.publish(subject: subject, payload: payload, idempotencyKey: idempotencyKey)
    }

    func subscribe(_ filter: String, from start: SubscriptionStart) async throws -> PipelineSubscription {
        try await inner.subscribe(filter, from: start)
    }

    func replay(_ filter: String, after: UInt64, limit: Int) async throws -> ReplayPage {
        try await inner.replay(filter, after: after, limit: limit)
    }

    func isReady() async -> Bool { !failing.load(ordering: .relaxed) }
}

@Suite("event outbox")
struct EventOutboxTests {
    @Test("a pipeline outage holds events in order, fails /readyz, and orders are still acknowledged")
    func outageKeepsOrder() async throws {
        let pipeline = FlakyPipeline()
        try await Fixture.withService(pipeline: pipeline) { built, client in
            try await client.createBinaryMarket("m1")
            #expect(await eventually { built.eventOutbox.depth == 0 })
            let ready = try await client.executeRequest(uri: "/readyz", method: .get, headers: [:], body: nil)
            #expect(ready.status == .ok)

            pipeline.failing.store(true, ordering: .relaxed)
            var placed: [String] = []
            for index in 0..<5 {
                let order = try await client.limit(Fixture.key1, market: "m1", outcome: "m1-yes", side: "BUY", shares: "1", price: "0.\(20 + index)")
                #expect(order.status == .created)
                placed.append(order["id"] as? String ?? "")
            }
            #expect(await eventually { pipeline.refused.load(ordering: .relaxed) > 0 })
            #expect(built.eventOutbox.depth > 0)
            let notReady = try await client.executeRequest(uri: "/readyz", method: .get, headers: [:], body: nil)
            #expect(notReady.status == .serviceUnavailable)

            pipeline.failing.store(false, ordering: .relaxed)
            #expect(await eventually { built.eventOutbox.depth == 0 && built.eventPublisher.isHealthy })
            let page = try await pipeline.inner.replay("market.m1", after: 0, limit: 1000)
            // MARKET_STATUS, then per order: ORDER_UPDATE, ORDERBOOK_UPDATE, PRICE_UPDATE.
            #expect(page.events.count == 1 + 5 * 3)
            var orderIds: [String] = []
            for event in page.events {
                if case .order(let update) = try JSONDecoder().decode(MarketEvent.self, from: Data(event.payload)) {
                    orderIds.append(update.order.id)
                }
            }
            #expect(orderIds == placed)
            let readyAgain = try await client.executeRequest(uri: "/readyz", method: .get, headers: [:], body: nil)
            #expect(readyAgain.status == .ok)
        }
    }

    @Test("when the outbox is full new commands get 503 events_backlog and nothing is dropped")
    func fullOutboxRefuses() async throws {
        let pipeline = FlakyPipeline()
        var configuration = try Fixture.configuration(journalPath: Fixture.journalPath())
        configuration.eventOutboxCapacity = 3
        let built = try await OrderRouterApplication.build(configuration: configuration, pipeline: pipeline, logger: Fixture.logger)
        try await built.application.test(.live) { client in
            try await client.createBinaryMarket("m1")
            #expect(await eventually { built.eventOutbox.depth == 0 })
            pipeline.failing.store(true, ordering: .relaxed)
            let first = try await client.limit(Fixture.key1, market: "m1", outcome: "m1-yes", side: "BUY", shares: "1", price: "0.30")
            #expect(first.status == .created)
            let second = try await client.limit(Fixture.key1, market: "m1", outcome: "m1-yes", side: "BUY", shares: "1", price: "0.31")
            #expect(second.status == .serviceUnavailable)
            #expect(second.errorCode == "events_backlog")
            // A batch is refused whole: none of its orders reaches the book.
            let batch = try await client.call(.post, "/orders/batch", apiKey: Fixture.key1, json: OrderBatchTests.batch([
                OrderBatchTests.order(side: "BUY", shares: "1", price: "0.32"),
                OrderBatchTests.order(side: "BUY", shares: "1", price: "0.33"),
            ]))
            #expect(batch.status == .serviceUnavailable)
            #expect(batch.errorCode == "events_backlog")
            let book = try await client.book(market: "m1", outcome: "m1-yes")
            #expect((book["bids"] as? [Any])?.count == 1)
            pipeline.failing.store(false, ordering: .relaxed)
            #expect(await eventually { built.eventOutbox.depth == 0 })
            let page = try await pipeline.inner.replay("market.m1", after: 0, limit: 100)
            #expect(page.events.count == 1 + 3)
            let third = try await client.limit(Fixture.key1, market: "m1", outcome: "m1-yes", side: "BUY", shares: "1", price: "0.31")
            #expect(third.status == .created)
        }
    }
}
