import AsyncHTTPClient
import BrokerTestSupport
import Foundation
import Logging
import MarketEngine
import NIOHTTP1
import Pipeline
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Orders acknowledged while the broker is down wait in the event outbox; the process is then
/// killed with SIGKILL. After the broker and the service come back, the pipeline must hold
/// every order's events, once each, in journal order (the service re-sends what its
/// ``PublishedWatermark`` says the pipeline never took).
@Suite("events re-sent after a crash, on a real broker", .serialized)
struct EventResendTests {
    @Test("events still in the outbox at SIGKILL reach the pipeline after the restart", arguments: [BrokerServer.Kind.redis, .nats])
    func resendAfterKill(kind: BrokerServer.Kind) async throws {
        try await ResendFixture.run(kind) { fixture in
            try await resendAfterKill(fixture)
        }
    }

    func resendAfterKill(_ fixture: ResendFixture) async throws {
        let (broker, journal, folder, variables) = (fixture.broker, fixture.journal, fixture.folder, fixture.variables)
        let client = HTTPClient.shared

        /// The ids carried by the ORDER_UPDATE events of market m1, in pipeline order.
        @Sendable func orderUpdates() async throws -> [String] {
            try await fixture.marketEvents().compactMap { event in
                guard case .order(let update) = event else { return nil }
                return update.order.id
            }
        }
        func place(_ port: Int, price: String) async throws -> String {
            let answer = try await CrashRecoveryTests.request(client, port: port, .POST, "/orders", apiKey: Fixture.key1, json: """
                {"marketId":"m1","outcomeId":"m1-yes","side":"BUY","type":"LIMIT","shares":"1","price":"\(price)","playerId":"p-1"}
                """)
            #expect(answer.status == 201)
            return try #require(answer.object["id"] as? String)
        }

        do {
            let first = try await CrashRecoveryTests.start(journal: journal, folder: folder, run: 1, pipeline: variables)
            defer { first.kill() }
            let created = try await CrashRecoveryTests.request(client, port: first.port, .POST, "/markets", admin: true, json: #"{"marketId":"m1"}"#)
            #expect(created.status == 201)
            var placed = [try await place(first.port, price: "0.10")]
            let firstOrder = placed
            #expect(try await eventually(timeout: .seconds(15)) { try await orderUpdates() == firstOrder })

            // The broker goes away: orders are still acknowledged (durable in the journal),
            // their events wait in the outbox; then the process dies without a chance to drain.
            await broker.terminate()
            for price in ["0.11", "0.12", "0.13"] {
                placed.append(try await place(first.port, price: price))
            }
            first.kill(SIGKILL)

            try await broker.launch()
            let second = try await CrashRecoveryTests.start(journal: journal, folder: folder, run: 2, pipeline: variables)
            defer { second.kill() }
            let acknowledged = placed
            let resent = await eventually(timeout: .seconds(20)) { (try? await orderUpdates()) == acknowledged }
            let onPipeline = (try? await orderUpdates()) ?? []
            #expect(resent, "ORDER_UPDATEs on the pipeline: \(onPipeline), acknowledged: \(acknowledged)")

            // A later order follows them, and nothing was sent twice.
            placed.append(try await place(second.port, price: "0.14"))
            let all = placed
            #expect(try await eventually(timeout: .seconds(15)) { try await orderUpdates() == all })
        }
    }

    /// A journal replaced by a new one starts its sequences at 1 again. Its events must not
    /// carry the old journal's idempotency keys, or a broker still remembering those (its
    /// deduplication window) would drop them: the market would be created and the order
    /// acknowledged, yet market-ws would never see either.
    @Test("a replaced journal's events are not taken for the old journal's", arguments: [BrokerServer.Kind.redis, .nats])
    func replacedJournal(kind: BrokerServer.Kind) async throws {
        try await ResendFixture.run(kind) { fixture in
            try await replacedJournal(fixture)
        }
    }

    func replacedJournal(_ fixture: ResendFixture) async throws {
        let (journal, folder, variables) = (fixture.journal, fixture.folder, fixture.variables)
        let client = HTTPClient.shared

        /// The types of market m1's events, in pipeline order.
        @Sendable func eventTypes() async throws -> [String] {
            try await fixture.marketEvents().map(\.type)
        }
        /// One run on a fresh journal: the same two commands, so the same sequences.
        func run(_ number: Int) async throws {
            let service = try await CrashRecoveryTests.start(journal: journal, folder: folder, run: number, pipeline: variables)
            let created = try await CrashRecoveryTests.request(client, port: service.port, .POST, "/markets", admin: true, json: #"{"marketId":"m1"}"#)
            #expect(created.status == 201)
            let placed = try await CrashRecoveryTests.request(client, port: service.port, .POST, "/orders", apiKey: Fixture.key1, json: """
                {"marketId":"m1","outcomeId":"m1-yes","side":"BUY","type":"LIMIT","shares":"1","price":"0.10","playerId":"p-1"}
                """)
            #expect(placed.status == 201)
            service.kill(SIGTERM)
        }

        do {
            try await run(1)
            let published = await eventually(timeout: .seconds(15)) {
                let types = (try? await eventTypes()) ?? []
                return types.contains("MARKET_STATUS") && types.contains("ORDER_UPDATE")
            }
            #expect(published)
            let once = try await eventTypes()
            // The journal and its published-events mark are deleted: a new journal.
            try FileManager.default.removeItem(atPath: journal)
            try? FileManager.default.removeItem(atPath: journal + ".published")
            try await run(2)
            let twice = once + once
            let arrived = await eventually(timeout: .seconds(15)) { (try? await eventTypes()) == twice }
            let onPipeline = (try? await eventTypes()) ?? []
            #expect(arrived, "market m1's events on the pipeline: \(onPipeline), expected the first run's twice: \(once)")
        }
    }
}

/// A real broker, a journal path in a folder of its own, order-router's pipeline variables for
/// that broker and a reader of the pipeline; `run` stops them whatever the body does.
struct ResendFixture {
    let broker: BrokerServer
    let journal: String
    let folder: String
    let variables: [String: String]
    let reader: any EventPipeline

    static func run(_ kind: BrokerServer.Kind, _ body: (ResendFixture) async throws -> Void) async throws {
        let broker = kind == .redis ? try await BrokerServer.startRedis() : try await BrokerServer.startNats()
        let journal = Fixture.journalPath()
        let folder = URL(fileURLWithPath: journal).deletingLastPathComponent().path
        var configuration = PipelineConfiguration(backend: kind == .redis ? .redis : .nats)
        var logger = Logger(label: "resend-test")
        logger.logLevel = .error
        let fixture: ResendFixture
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            if kind == .redis { configuration.redisURL = try RedisURL(broker.url) } else { configuration.natsURL = try NatsURL(broker.url) }
            fixture = ResendFixture(
                broker: broker, journal: journal, folder: folder,
                variables: kind == .redis
                    ? ["STREAMING_PIPELINE_BACKEND": "redis", "STREAMING_REDIS_URL": broker.url]
                    : ["STREAMING_PIPELINE_BACKEND": "nats", "STREAMING_NATS_URL": broker.url],
                reader: PipelineFactory.make(configuration: configuration, logger: logger)
            )
        } catch {
            await broker.stop()
            throw error
        }
        do {
            try await body(fixture)
        } catch {
            await fixture.reader.shutdown()
            await broker.stop()
            throw error
        }
        await fixture.reader.shutdown()
        await broker.stop()
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Market m1's events on the pipeline, in order.
    func marketEvents() async throws -> [MarketEvent] {
        let page = try await reader.replay("market.m1", after: 0, limit: 1000)
        return try page.events.map { try JSONDecoder().decode(MarketEvent.self, from: Data($0.payload)) }
    }
}
