import Foundation
import HTTPCore
import Hummingbird
import HummingbirdTesting
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOPosix
import NIOWebSocket
import ServiceLifecycle
import Synchronization
import Testing
import WebSocketTestSupport
import WebSocketCore

@Suite(.serialized) struct TopicHubTests {
    static let logger: Logger = {
        var logger = Logger(label: "ws-client")
        logger.logLevel = .error
        return logger
    }()

    static func waitUntil(_ timeout: Duration = .seconds(20), _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while !condition() {
            guard ContinuousClock.now < deadline else { throw TimeoutError() }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    struct TimeoutError: Error {}

    static func closeAll(_ sockets: [TestWebSocketClient]) async {
        await withTaskGroup(of: Void.self) { group in
            for socket in sockets { group.addTask { await socket.close() } }
        }
    }

    @Test func fansOutToAThousandConnectionsInOrder() async throws {
        try await fanOut(connections: 1000, directWrites: true)
    }

    @Test func fansOutInOrderThroughTheAsyncWriterToo() async throws {
        try await fanOut(connections: 100, directWrites: false)
    }

    func fanOut(connections: Int, directWrites: Bool) async throws {
        let hub = TopicHub(endpoint: "test", settings: WebSocketSettings(maxConnections: 5000))
        let app = HubTestServer.makeApplication(hub: hub, directWrites: directWrites)
        let messages = 100
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let sockets = (0..<connections).map { _ in TestWebSocketClient(port: port, path: "/ws/room-1") }
            try await Self.waitUntil { hub.subscribers(of: "room-1").count == connections }
            for index in 0..<messages {
                let delivered = hub.publish(ByteBuffer(string: "m:\(index)"), to: "room-1")
                #expect(delivered == connections)
            }
            try await Self.waitUntil(.seconds(60)) { sockets.allSatisfy { $0.texts.count >= messages } }
            let expected = (0..<messages).map { "m:\($0)" }
            #expect(sockets.allSatisfy { $0.texts == expected }, "messages arrive in order, none lost, none repeated")
            #expect(hub.slowConsumerCloseCount == 0)
            await Self.closeAll(sockets)
        }
    }

    @Test(arguments: [true, false])
    func slowConsumerIsClosedWith4008WhileOthersReceiveEverything(directWrites: Bool) async throws {
        let hub = TopicHub(endpoint: "test", settings: WebSocketSettings(maxQueuedMessages: 256))
        let app = HubTestServer.makeApplication(hub: hub, directWrites: directWrites)
        let messages = 2000
        let readers = 10
        let payload = String(repeating: "x", count: 8 * 1024)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let slow = TestWebSocketClient(port: port, path: "/ws/market-1", receiveBufferBytes: 4096, pausesReadingAfterUpgrade: true)
            try await slow.waitUntilOpen()
            let sockets = (0..<readers).map { _ in TestWebSocketClient(port: port, path: "/ws/market-1") }
            try await Self.waitUntil { hub.subscribers(of: "market-1").count == readers + 1 }
            for index in 0..<messages {
                hub.publish(ByteBuffer(string: "\(index):\(payload)"), to: "market-1")
                // Keep the readers that do read within 100 messages of the publisher
                // (debug-built clients share two cores with the server); the raw client
                // reads nothing and must overflow its queue of 256.
                if index % 20 == 19 {
                    try await Self.waitUntil { sockets.allSatisfy { $0.texts.count >= index - 100 } }
                }
            }
            try await Self.waitUntil(.seconds(60)) { sockets.allSatisfy { $0.texts.count >= messages } }
            for socket in sockets {
                let texts = socket.texts
                #expect(texts.count == messages)
                #expect(texts.enumerated().allSatisfy { $0.element.hasPrefix("\($0.offset):") }, "in order, none lost")
            }
            #expect(hub.slowConsumerCloseCount == 1)
            await Self.closeAll(sockets)
            // The slow client now reads what was buffered for it: the last frame is the close.
            try await slow.resumeReading()
            #expect(try await slow.closeCode(timeout: .seconds(30)) == 4008)
            try await Self.waitUntil { hub.connectionCount == 0 }
        }
    }

    @Test func oversizedMessageIsClosedWith1009() async throws {
        let hub = TopicHub(endpoint: "test", settings: WebSocketSettings(maxFrameBytes: 4096, maxMessageBytes: 4096))
        let app = HubTestServer.makeApplication(hub: hub)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let socket = TestWebSocketClient(port: port, path: "/ws/t")
            socket.send(text: "hello")
            #expect(try await socket.nextText() == "echo:hello")
            socket.send(text: String(repeating: "a", count: 10_000))
            #expect(try await socket.closeCode() == 1009)
        }
    }

    @Test func invalidUTF8IsClosedWith1007() async throws {
        let hub = TopicHub(endpoint: "test", settings: WebSocketSettings())
        let app = HubTestServer.makeApplication(hub: hub)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let socket = TestWebSocketClient(port: port, path: "/ws/t")
            socket.send(opcode: 0x1, payload: [0x68, 0xff, 0xfe])
            #expect(try await socket.closeCode() == 1007)
        }
    }

    @Test func connectionLimitRefusesUpgradeWith503() async throws {
        let hub = TopicHub(endpoint: "test", settings: WebSocketSettings(maxConnections: 2))
        let app = HubTestServer.makeApplication(hub: hub)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let sockets = (0..<2).map { _ in TestWebSocketClient(port: port, path: "/ws/t") }
            try await Self.waitUntil { hub.connectionCount == 2 }
            let third = TestWebSocketClient(port: port, path: "/ws/t")
            do {
                try await third.waitUntilOpen()
                Issue.record("the third upgrade should be refused")
            } catch let refusal as TestWebSocketClient.UpgradeRefusal {
                #expect(refusal.status == 503, "refused with the router's status and JSON body")
                #expect(refusal.bodyText.contains(#""code":"too_many_connections""#))
                #expect(refusal.header("retry-after") == "1")
            }
            hub.closeAll(code: CloseCode.normal, reason: "test over")
            for socket in sockets {
                #expect(try await socket.closeCode() == 1000)
            }
        }
    }

    @Test func gracefulShutdownClosesSocketsWith1001AndIdleConnections() async throws {
        let hub = TopicHub(endpoint: "test", settings: WebSocketSettings())
        let port = LockedBox<Int?>(nil)
        let app = HubTestServer.makeApplication(hub: hub) { channel in
            port.withLock { $0 = channel.localAddress?.port }
        }
        let group = ServiceGroup(services: [app, hub], logger: Self.logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await Self.waitUntil { port.withLock { $0 } != nil }
            let serverPort = try #require(port.withLock { $0 })
            // An idle connection (a client pool's or a browser's preconnect) and a live socket.
            let idle = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: "127.0.0.1", port: serverPort).get()
            let socket = TestWebSocketClient(port: serverPort, path: "/ws/t")
            try await Self.waitUntil { hub.connectionCount == 1 }
            await group.triggerGracefulShutdown()
            #expect(try await socket.closeCode() == 1001)
            // The server closes the idle connection instead of waiting for it forever.
            let closed = LockedBox(false)
            idle.closeFuture.whenComplete { _ in closed.withLock { $0 = true } }
            try await Self.waitUntil(.seconds(10)) { closed.withLock { $0 } }
            try await tasks.waitForAll()
        }
    }

    @Test func aRemovedConnectionCannotSubscribe() throws {
        let hub = TopicHub(endpoint: "test", settings: WebSocketSettings())
        let connection = try #require(hub.open())
        #expect(hub.subscribe(connection, to: "room-1"))
        hub.remove(connection)
        #expect(hub.subscribers(of: "room-1").isEmpty)
        // A catch-up that finishes after the socket ended must not leave it in the room.
        #expect(!hub.subscribe(connection, to: "room-1"))
        #expect(hub.subscribers(of: "room-1").isEmpty)
        #expect(connection.topics.isEmpty)
        #expect(hub.publish(ByteBuffer(string: "m"), to: "room-1") == 0)
    }

    @Test(arguments: [true, false])
    func noDataFrameFollowsTheCloseFrame(directWrites: Bool) async throws {
        let hub = TopicHub(endpoint: "test", settings: WebSocketSettings(maxQueuedMessages: 100_000))
        let app = HubTestServer.makeApplication(hub: hub, directWrites: directWrites)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            for round in 0..<20 {
                let socket = TestWebSocketClient(port: port, path: "/ws/flood")
                try await Self.waitUntil { hub.subscribers(of: "flood").count == 1 }
                // Publish without pause while the client closes mid-stream.
                let publisher = Task {
                    var index = 0
                    while !Task.isCancelled, hub.subscribers(of: "flood").count == 1 {
                        hub.publish(ByteBuffer(string: "r\(round)-m\(index)"), to: "flood")
                        index += 1
                        if index % 16 == 0 { try? await Task.sleep(for: .milliseconds(1)) }
                    }
                }
                try await socket.wait(for: "some messages") { socket.texts.count >= 50 }
                await socket.close(timeout: .seconds(10))
                publisher.cancel()
                let events = socket.events
                let closeIndex = try #require(events.firstIndex { if case .closed = $0 { true } else { false } })
                let afterClose = events[(closeIndex + 1)...].filter { if case .text = $0 { true } else { false } }
                #expect(afterClose.isEmpty, "round \(round): \(afterClose.count) data frames after the close frame")
                if directWrites {
                    #expect(events[closeIndex] == .closed(code: 1000, reason: ""), "round \(round): the server answered the close")
                }
                try await Self.waitUntil { hub.connectionCount == 0 }
            }
        }
    }
}
