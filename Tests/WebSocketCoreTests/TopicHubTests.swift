import Foundation
import HTTPCore
import Hummingbird
import HummingbirdTesting
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOWebSocket
import ServiceLifecycle
import Synchronization
import Testing
import WSClient
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

    @Test func fansOutToAThousandConnectionsInOrder() async throws {
        let hub = TopicHub(endpoint: "test", settings: WebSocketSettings(maxConnections: 5000))
        let app = HubTestServer.makeApplication(hub: hub)
        let connections = 1000
        let messages = 100
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let received = LockedBox<[Int]>([])
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<connections {
                    group.addTask {
                        try await WebSocketClient.connect(url: "ws://127.0.0.1:\(port)/ws/room-1", logger: Self.logger) { inbound, _, _ in
                            var expected = 0
                            for try await message in inbound.messages(maxSize: 1 << 16) {
                                guard case .text(let text) = message else { continue }
                                #expect(text == "m:\(expected)", "messages arrive in order, none lost")
                                expected += 1
                                if expected == messages { break }
                            }
                            received.withLock { $0.append(expected) }
                        }
                    }
                }
                try await Self.waitUntil { hub.subscribers(of: "room-1").count == connections }
                for index in 0..<messages {
                    let delivered = hub.publish(ByteBuffer(string: "m:\(index)"), to: "room-1")
                    #expect(delivered == connections)
                }
                try await group.waitForAll()
            }
            let counts = received.withLock { $0 }
            #expect(counts.count == connections)
            #expect(counts.allSatisfy { $0 == messages })
            #expect(hub.slowConsumerCloseCount == 0)
        }
    }

    @Test func slowConsumerIsClosedWith4008WhileOthersReceiveEverything() async throws {
        let hub = TopicHub(endpoint: "test", settings: WebSocketSettings(maxQueuedMessages: 256))
        let app = HubTestServer.makeApplication(hub: hub)
        let messages = 2000
        let readers = 10
        let payload = String(repeating: "x", count: 8 * 1024)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let slow = try RawWebSocketClient(port: port, path: "/ws/market-1")
            let progress = LockedBox([Int](repeating: 0, count: readers))
            try await withThrowingTaskGroup(of: Void.self) { group in
                for reader in 0..<readers {
                    group.addTask {
                        try await WebSocketClient.connect(url: "ws://127.0.0.1:\(port)/ws/market-1", logger: Self.logger) { inbound, _, _ in
                            var count = 0
                            for try await message in inbound.messages(maxSize: 1 << 16) {
                                guard case .text(let text) = message else { continue }
                                #expect(text.hasPrefix("\(count):"), "in order, none lost")
                                count += 1
                                progress.withLock { $0[reader] = count }
                                if count == messages { break }
                            }
                        }
                    }
                }
                try await Self.waitUntil { hub.subscribers(of: "market-1").count == readers + 1 }
                for index in 0..<messages {
                    hub.publish(ByteBuffer(string: "\(index):\(payload)"), to: "market-1")
                    // Keep the readers that do read within 100 messages of the publisher
                    // (debug-built clients share two cores with the server); the raw client
                    // reads nothing and must overflow its queue of 256.
                    if index % 20 == 19 {
                        try await Self.waitUntil { progress.withLock { $0.allSatisfy { $0 >= index - 100 } } }
                    }
                }
                try await group.waitForAll()
            }
            #expect(progress.withLock { $0 } == [Int](repeating: messages, count: readers))
            #expect(hub.slowConsumerCloseCount == 1)
            // The slow client now reads what was buffered for it: the last frame is the close.
            var closeCode: UInt16?
            while let frame = try slow.nextFrame() {
                if frame.opcode == 0x8 {
                    closeCode = frame.closeCode
                    break
                }
            }
            #expect(closeCode == 4008)
            try await Self.waitUntil { hub.connectionCount == 0 }
        }
    }

    @Test func oversizedMessageIsClosedWith1009() async throws {
        let hub = TopicHub(endpoint: "test", settings: WebSocketSettings(maxFrameBytes: 4096, maxMessageBytes: 4096))
        let app = HubTestServer.makeApplication(hub: hub)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let close = try await WebSocketClient.connect(url: "ws://127.0.0.1:\(port)/ws/t", logger: Self.logger) { inbound, outbound, _ in
                try await outbound.write(.text("hello"))
                var iterator = inbound.messages(maxSize: 1 << 16).makeAsyncIterator()
                #expect(try await iterator.next() == .text("echo:hello"))
                try await outbound.write(.text(String(repeating: "a", count: 10_000)))
                while try await iterator.next() != nil {}
            }
            #expect(close?.closeCode == .messageTooLarge)
        }
    }

    @Test func invalidUTF8IsClosedWith1007() async throws {
        let hub = TopicHub(endpoint: "test", settings: WebSocketSettings())
        let app = HubTestServer.makeApplication(hub: hub)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let close = try await WebSocketClient.connect(url: "ws://127.0.0.1:\(port)/ws/t", logger: Self.logger) { inbound, outbound, _ in
                try await outbound.write(.custom(WebSocketFrame(fin: true, opcode: .text, data: ByteBuffer(bytes: [0x68, 0xff, 0xfe]))))
                for try await _ in inbound {}
            }
            #expect(close?.closeCode == .dataInconsistentWithMessage)
        }
    }

    @Test func connectionLimitRefusesUpgradeWith503() async throws {
        let hub = TopicHub(endpoint: "test", settings: WebSocketSettings(maxConnections: 2))
        let app = HubTestServer.makeApplication(hub: hub)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<2 {
                    group.addTask {
                        try await WebSocketClient.connect(url: "ws://127.0.0.1:\(port)/ws/t", logger: Self.logger) { inbound, _, _ in
                            for try await _ in inbound {}
                        }
                    }
                }
                try await Self.waitUntil { hub.connectionCount == 2 }
                do {
                    _ = try RawWebSocketClient(port: port, path: "/ws/t")
                    Issue.record("the third upgrade should be refused")
                } catch let refusal as RawWebSocketClient.Refusal {
                    #expect(refusal.status == 503, "refused with the router's status and JSON body")
                    #expect(refusal.bodyText.contains(#""code":"too_many_connections""#))
                    #expect(refusal.header("retry-after") == "1")
                }
                hub.closeAll(code: CloseCode.normal, reason: "test over")
                try await group.waitForAll()
            }
        }
    }

    @Test func gracefulShutdownClosesSocketsWith1001() async throws {
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
            let closeCode = LockedBox<WebSocketErrorCode?>(nil)
            tasks.addTask {
                let close = try await WebSocketClient.connect(url: "ws://127.0.0.1:\(serverPort)/ws/t", logger: Self.logger) { inbound, _, _ in
                    for try await _ in inbound {}
                }
                closeCode.withLock { $0 = close?.closeCode }
            }
            try await Self.waitUntil { hub.connectionCount == 1 }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            #expect(closeCode.withLock { $0 } == .goingAway)
        }
    }
}
