import BrokerTestSupport
import Foundation
import Logging
import MarketEngine
import Pipeline
import Testing

@Suite(.serialized) struct ManyNodesTests {
    @Test func twoProcessesOnOneRedisDeliverTheSameEvents() async throws {
        try await withRedisServer { redis in
            try await Self.twoNodesDeliverTheSameEvents(environment: ["STREAMING_PIPELINE_BACKEND": "redis", "STREAMING_REDIS_URL": redis.url])
        }
    }

    @Test func twoProcessesOnOneNatsDeliverTheSameEvents() async throws {
        try await withNatsServer { nats in
            try await Self.twoNodesDeliverTheSameEvents(environment: ["STREAMING_PIPELINE_BACKEND": "nats", "STREAMING_NATS_URL": nats.url])
        }
    }

    /// Two market-ws processes on one broker: a client on each sees the same events, same sequences.
    static func twoNodesDeliverTheSameEvents(environment: [String: String]) async throws {
        do {
            let pipeline = try PipelineFactory.make(environment: environment, logger: MarketWSTestHarness.logger)
            var engine = MarketEngine(clock: { Int64(Date().timeIntervalSince1970 * 1000) })
            func publish(_ command: EngineCommand) async throws -> [UInt64] {
                var sequences: [UInt64] = []
                for event in try engine.apply(command).events {
                    sequences.append(try await pipeline.publish(subject: "market.\(event.marketId)", payload: EventJSONEncoder().encode(event)))
                }
                return sequences
            }
            _ = try await publish(.createMarket(.binary(marketId: "m-1")))
            let nodeEnvironment = environment.merging([
                "OPERATOR_API_KEYS": "op-a:key-a,op-b:key-b",
                "MARKET_WS_WEBHOOKS_ENABLED": "0",
                "MARKET_WS_DATA_DIR": FileManager.default.temporaryDirectory.appendingPathComponent("mws-\(UUID().uuidString)").path,
            ]) { $1 }
            let nodes = try [MarketWSProcess(environment: nodeEnvironment), MarketWSProcess(environment: nodeEnvironment)]
            do {
                for node in nodes { try await node.waitUntilReady() }
                let clients = nodes.map { TestClient.connect(port: $0.port, apiKey: "key-a") }
                for client in clients {
                    _ = try await client.next(type: "AUTHENTICATED")
                    client.send(#"{"type":"SUBSCRIBE","payload":{"marketIds":["m-1"]}}"#)
                    _ = try await client.next(type: "SNAPSHOT")
                }
                var last: UInt64 = 0
                for index in 0..<20 {
                    let order = PlaceOrder(marketId: "m-1", outcomeId: "m-1-yes", side: index % 2 == 0 ? .buy : .sell, type: .limit,
                                           shares: 2, price: "0.50", operatorId: index % 3 == 0 ? "op-b" : "op-a", playerId: "p")
                    last = try await publish(.placeOrder(order)).last ?? last
                }
                for client in clients {
                    _ = try await client.next(.seconds(20)) { $0.seq == last && $0.type != "HEARTBEAT" }
                }
                let streams = clients.map { client in
                    client.texts.filter { $0.contains(#""seq":"#) && !$0.contains(#""type":"HEARTBEAT""#) && !$0.contains(#""type":"SNAPSHOT""#) }
                }
                #expect(streams[0].count > 20)
                let same = streams[0] == streams[1]
                #expect(same, "both nodes deliver the same events with the same sequences (\(streams[0].count) vs \(streams[1].count))")
                for client in clients { await client.close() }
            } catch {
                for node in nodes { node.stop() }
                await pipeline.shutdown()
                throw error
            }
            for node in nodes { node.stop() }
            await pipeline.shutdown()
        }
    }
}
