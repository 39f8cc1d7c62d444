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
        let broker = kind == .redis ? try await BrokerServer.startRedis() : try await BrokerServer.startNats()
        let journal = Fixture.journalPath()
        let folder = URL(fileURLWithPath: journal).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let variables = kind == .redis
            ? ["STREAMING_PIPELINE_BACKEND": "redis", "STREAMING_REDIS_URL": broker.url]
            : ["STREAMING_PIPELINE_BACKEND": "nats", "STREAMING_NATS_URL": broker.url]
        var configuration = PipelineConfiguration(backend: kind == .redis ? .redis : .nats)
        if kind == .redis { configuration.redisURL = try RedisURL(broker.url) } else { configuration.natsURL = try NatsURL(broker.url) }
        var logger = Logger(label: "resend-test")
        logger.logLevel = .error
        let reader = PipelineFactory.make(configuration: configuration, logger: logger)
        let client = HTTPClient.shared

        /// The ids carried by the ORDER_UPDATE events of market m1, in pipeline order.
        @Sendable func orderUpdates() async throws -> [String] {
            let page = try await reader.replay("market.m1", after: 0, limit: 1000)
            return try page.events.compactMap { event in
                guard case .order(let update) = try JSONDecoder().decode(MarketEvent.self, from: Data(event.payload)) else { return nil }
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
        } catch {
            await reader.shutdown()
            await broker.stop()
            throw error
        }
        await reader.shutdown()
        await broker.stop()
        try? FileManager.default.removeItem(atPath: folder)
    }
}
