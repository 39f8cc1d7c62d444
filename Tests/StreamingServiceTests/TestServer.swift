import AsyncHTTPClient
import Entitlements
import Foundation
import HTTPCore
import Logging
import NIOCore
import Pipeline
import ServiceLifecycle
import LiveRooms
import StreamingService
import Synchronization
import Testing
import WebSocketCore

/// One in-process streaming service on a free port, run exactly as `main.swift` runs it (one
/// `ServiceGroup` of the runtime's services), stopped gracefully at the end of the test.
final class TestServer: Sendable {
    let port: Int
    let runtime: StreamingApplication.Runtime
    let pipeline: any EventPipeline
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    static let reportsToken = "reports-secret"
    static let inplayToken = "inplay-secret"
    static let adminToken = "admin-secret"
    static let viewerSecret = "viewer-token-secret-for-tests-0123456789"

    static func configuration(dataDirectory: String? = nil, knownRooms: Set<String>? = nil, chatMaxLength: Int = 50) -> StreamingConfiguration {
        StreamingConfiguration(
            http: HTTPServerSettings(host: "127.0.0.1", port: 0, logLevel: .error),
            reportsTokens: [reportsToken],
            inplayTokens: [inplayToken],
            adminToken: adminToken,
            viewerTokenSecret: viewerSecret,
            defaultRoom: "public-room",
            knownRooms: knownRooms,
            dataDirectory: dataDirectory,
            chat: .init(maxLength: chatMaxLength, maxMessages: 3, windowMilliseconds: 60_000)
        )
    }

    private init(port: Int, runtime: StreamingApplication.Runtime, pipeline: any EventPipeline, group: ServiceGroup, task: Task<Void, any Error>) {
        self.port = port
        self.runtime = runtime
        self.pipeline = pipeline
        self.group = group
        self.task = task
    }

    static func start(
        configuration: StreamingConfiguration = TestServer.configuration(),
        pipeline: any EventPipeline = MemoryPipeline(),
        entitlements: any EntitlementsProvider = BypassEntitlementsProvider()
    ) async throws -> TestServer {
        var logger = Logger(label: "streaming-test")
        logger.logLevel = .error
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let runtime = try StreamingApplication.build(
            configuration: configuration,
            pipeline: pipeline,
            entitlements: entitlements,
            logger: logger,
            onServerRunning: { port in portSink.yield(port) }
        )
        let group = ServiceGroup(services: runtime.services, logger: logger)
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw TestFailure("server did not start") }
        let server = TestServer(port: port, runtime: runtime, pipeline: pipeline, group: group, task: task)
        try await server.waitUntilReady()
        return server
    }

    /// Waits for `/readyz` (the room subscription in place).
    func waitUntilReady() async throws {
        try await eventually("ready") {
            (try? await HTTP.get(port: port, "/readyz").status) == 200
        }
    }

    /// Connects a viewer and, for a live join (no `last_seq`), waits until the service has
    /// subscribed its socket to the room, so that the next event is sure to reach it.
    func connect(path: String, customerId: String? = nil) async throws -> Viewer {
        let room = String(path.dropFirst("/ws/rooms/".count).prefix { $0 != "?" })
        let resumes = path.contains("last_seq=") || path.contains("after=")
        let before = runtime.hub.subscribers(of: room).count
        let viewer = try await Viewer.connect(port: port, path: path, customerId: customerId)
        if !resumes {
            try await eventually("viewer subscribed to \(room)") { runtime.hub.subscribers(of: room).count > before }
        }
        return viewer
    }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }

    /// Runs `body` with a started server, always stopping it.
    static func with<T>(
        configuration: StreamingConfiguration = TestServer.configuration(),
        pipeline: any EventPipeline = MemoryPipeline(),
        entitlements: any EntitlementsProvider = BypassEntitlementsProvider(),
        _ body: (TestServer) async throws -> T
    ) async throws -> T {
        let server = try await start(configuration: configuration, pipeline: pipeline, entitlements: entitlements)
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Polls `condition` until it holds or `timeout` passes.
func eventually(_ what: String, timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now.advanced(by: timeout)
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(10))
    }
    throw TestFailure("timed out waiting for \(what)")
}

/// A temporary folder removed at the end.
func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("streaming-test-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}
