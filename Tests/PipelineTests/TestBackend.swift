import BrokerTestSupport
import Foundation
import Logging
import Pipeline

/// The adapters the contract suite runs against.
enum TestBackend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case memory
    case redis
    case nats

    var testDescription: String { rawValue }

    /// The brokers (not the in-process adapter).
    static let brokers: [TestBackend] = [.redis, .nats]
}

import Testing

/// A logger for adapters under test: quiet unless `PIPELINE_TEST_LOG` names a level (`debug`).
let testLogger: Logger = {
    var logger = Logger(label: "pipeline.tests", factory: { StreamLogHandler.standardError(label: $0) })
    let level = ProcessInfo.processInfo.environment["PIPELINE_TEST_LOG"].flatMap { Logger.Level(rawValue: $0) }
    logger.logLevel = level ?? .critical
    return logger
}()

/// Builds `instances` pipelines of `backend` over one fresh broker (memory: one shared
/// instance), waits until they are ready, runs `body`, then shuts them down and stops the broker.
func withPipelines(
    _ backend: TestBackend,
    instances: Int = 1,
    retention: PipelineRetention = PipelineRetention(),
    subscriberBufferCapacity: Int = 65_536,
    _ body: ([any EventPipeline], BrokerServer?) async throws -> Void
) async throws {
    switch backend {
    case .memory:
        let pipeline = MemoryPipeline(retention: retention, subscriberBufferCapacity: subscriberBufferCapacity)
        try await body(Array(repeating: pipeline, count: instances), nil)
    case .redis:
        try await withRedisServer { server in
            try await run(server: server, configuration: PipelineConfiguration(backend: .redis, redisURL: try RedisURL(server.url), retention: retention, subscriberBufferCapacity: subscriberBufferCapacity), instances: instances, body)
        }
    case .nats:
        try await withNatsServer { server in
            try await run(server: server, configuration: PipelineConfiguration(backend: .nats, natsURL: try NatsURL(server.url), retention: retention, subscriberBufferCapacity: subscriberBufferCapacity), instances: instances, body)
        }
    }
}

private func run(
    server: BrokerServer,
    configuration: PipelineConfiguration,
    instances: Int,
    _ body: ([any EventPipeline], BrokerServer?) async throws -> Void
) async throws {
    let pipelines = (0..<instances).map { _ in PipelineFactory.make(configuration: configuration, logger: testLogger) }
    do {
        for pipeline in pipelines { try await waitUntilReady(pipeline) }
        try await body(pipelines, server)
    } catch {
        for pipeline in pipelines { await pipeline.shutdown() }
        throw error
    }
    for pipeline in pipelines { await pipeline.shutdown() }
}

/// Waits up to `timeout` for `isReady()`.
func waitUntilReady(_ pipeline: any EventPipeline, timeout: Duration = .seconds(10)) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
        if await pipeline.isReady() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    Issue.record("pipeline not ready after \(timeout)")
    throw PipelineError.unavailable("not ready")
}

/// Reads `count` events from a subscription, failing after `timeout`.
func collect(_ subscription: PipelineSubscription, count: Int, timeout: Duration = .seconds(20)) async throws -> [PipelineEvent] {
    try await withThrowingTaskGroup(of: [PipelineEvent]?.self) { group in
        group.addTask {
            var events: [PipelineEvent] = []
            guard count > 0 else { return events }
            for try await event in subscription {
                events.append(event)
                if events.count == count { break }
            }
            return events
        }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        let first = try await group.next()!
        group.cancelAll()
        guard let events = first else {
            Issue.record("timed out waiting for \(count) events")
            return []
        }
        return events
    }
}

/// A JSON payload naming its index, as the suite's services publish.
func payload(_ index: Int, size: Int = 0) -> [UInt8] {
    var text = "{\"n\":\(index)"
    if size > 0 { text += ",\"pad\":\"" + String(repeating: "x", count: size) + "\"" }
    text += "}"
    return Array(text.utf8)
}
