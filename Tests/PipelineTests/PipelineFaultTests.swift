import BrokerTestSupport
import Foundation
import Pipeline
import Synchronization
import Testing

/// Brokers restarted mid-stream and brokers that never answer.
@Suite("Pipeline broker faults", .serialized)
struct PipelineFaultTests {
    /// Counts acknowledged publishes so the test can restart the broker mid-stream.
    final class Progress: Sendable {
        let acknowledged = Mutex(0)
    }

    @Test("broker restarted mid-stream: no gap, no duplicate, every acknowledged publish kept", arguments: TestBackend.brokers)
    func restartMidStream(backend: TestBackend) async throws {
        try await withPipelines(backend) { pipelines, server in
            let pipeline = pipelines[0]
            let server = try #require(server)
            let subscription = try await pipeline.subscribe("market.>", from: .after(0))
            let total = 400
            let progress = Progress()
            let publisher = Task { () throws -> [Int: UInt64] in
                var acknowledged: [Int: UInt64] = [:]
                for index in 0..<total {
                    while true {
                        do {
                            // Retrying with the same idempotency key never stores an event twice.
                            acknowledged[index] = try await pipeline.publish(subject: "market.m-\(index % 4)", payload: payload(index), idempotencyKey: "order-\(index)")
                            break
                        } catch let error as PipelineError where error.isUnavailable {
                            try await Task.sleep(for: .milliseconds(20))
                        }
                    }
                    progress.acknowledged.withLock { $0 += 1 }
                    try await Task.sleep(for: .milliseconds(2))
                }
                return acknowledged
            }
            while progress.acknowledged.withLock({ $0 }) < 100 {
                try await Task.sleep(for: .milliseconds(5))
            }
            // A replay before the restart leaves a pooled connection that the restart kills.
            let early = try await pipeline.replay("market.>", after: 0, limit: 10)
            #expect(early.events.map(\.sequence) == Array(1...10))
            try await server.restart()
            let beforeRestart = progress.acknowledged.withLock { $0 }
            #expect(beforeRestart < total, "the restart must happen mid-stream")
            let acknowledged = try await publisher.value
            #expect(acknowledged.count == total)
            let highest = try #require(acknowledged.values.max())
            let events = try await collect(subscription, count: Int(highest), timeout: .seconds(60))
            #expect(events.map(\.sequence) == Array(1...highest))
            let stored = Dictionary(events.map { ($0.sequence, $0.payload) }, uniquingKeysWith: { first, _ in first })
            for (index, sequence) in acknowledged {
                #expect(stored[sequence] == payload(index), "acknowledged event \(index) at \(sequence) is missing")
            }
            #expect(Set(events.map(\.payload)).count == events.count, "an event was stored twice")
            var replayed: [PipelineEvent] = []
            var after: UInt64 = 0
            while true {
                let page = try await pipeline.replay("market.>", after: after, limit: 500)
                if page.events.isEmpty { break }
                replayed += page.events
                after = page.nextAfter
            }
            #expect(replayed == events)
            try await waitUntilReady(pipeline)
        }
    }

    @Test("a NATS server whose store was wiped gets its stream created again")
    func natsStoreWiped() async throws {
        try await withPipelines(.nats) { pipelines, server in
            let pipeline = pipelines[0]
            let server = try #require(server)
            #expect(try await pipeline.publish(subject: "overlay.o-1", payload: payload(1)) == 1)
            await server.terminate()
            try FileManager.default.removeItem(at: server.dataDirectory.appendingPathComponent("jetstream"))
            try await server.launch()
            try await waitUntilReady(pipeline)
            var sequence: UInt64?
            for _ in 0..<50 where sequence == nil {
                do {
                    sequence = try await pipeline.publish(subject: "overlay.o-1", payload: payload(2))
                } catch let error as PipelineError where error.isUnavailable {
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            #expect(sequence == 1, "the stream starts again at 1 on the wiped server")
        }
    }

    @Test("unreachable broker: not ready at start, publish throws unavailable after its timeout", arguments: TestBackend.brokers)
    func unreachableBroker(backend: TestBackend) async throws {
        let port = try BrokerServer.freePort()
        var configuration = PipelineConfiguration(backend: backend == .redis ? .redis : .nats, publishTimeout: .milliseconds(500))
        configuration.redisURL = try RedisURL("redis://127.0.0.1:\(port)/0")
        configuration.natsURL = try NatsURL("nats://127.0.0.1:\(port)")
        let pipeline = PipelineFactory.make(configuration: configuration, logger: testLogger)
        #expect(await pipeline.isReady() == false)
        let clock = ContinuousClock()
        let started = clock.now
        do {
            _ = try await pipeline.publish(subject: "chat.r-1", payload: payload(1))
            Issue.record("publish to an unreachable broker succeeded")
        } catch let error as PipelineError {
            #expect(error.isUnavailable, "\(error)")
        }
        let elapsed = clock.now - started
        #expect(elapsed >= .milliseconds(400))
        #expect(elapsed < .seconds(5))
        do {
            _ = try await pipeline.subscribe("chat.>", from: .new)
            Issue.record("subscribe(.new) on an unreachable broker succeeded")
        } catch let error as PipelineError {
            #expect(error.isUnavailable, "\(error)")
        }
        #expect(await pipeline.isReady() == false)
        await pipeline.shutdown()
    }

    @Test("a broker that comes up later makes the pipeline ready", arguments: TestBackend.brokers)
    func brokerComesUpLater(backend: TestBackend) async throws {
        let server: BrokerServer = backend == .redis ? try await BrokerServer.startRedis() : try await BrokerServer.startNats()
        await server.terminate()
        var configuration = PipelineConfiguration(backend: backend == .redis ? .redis : .nats)
        if backend == .redis {
            configuration.redisURL = try RedisURL(server.url)
        } else {
            configuration.natsURL = try NatsURL(server.url)
        }
        let pipeline = PipelineFactory.make(configuration: configuration, logger: testLogger)
        do {
            #expect(await pipeline.isReady() == false)
            try await server.launch()
            try await waitUntilReady(pipeline, timeout: .seconds(15))
            let sequence = try await pipeline.publish(subject: "rooms.r-1", payload: payload(1))
            #expect(sequence == 1)
        } catch {
            await pipeline.shutdown()
            await server.stop()
            throw error
        }
        await pipeline.shutdown()
        await server.stop()
    }
}
