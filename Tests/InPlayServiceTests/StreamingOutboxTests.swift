import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InPlayService
import Logging
import NIOCore
import Pipeline
import SetupDetection
import Testing

@Suite struct StreamingOutboxTests {
    typealias Support = InPlayTestSupport

    /// What the fake streaming receiver saw.
    struct Received: Sendable {
        var authorization: String?
        var idempotencyKey: String?
        var body: String
        var answered: Int
    }

    /// A stand-in for `streaming`'s `POST /ingest/inplay`: answers 503 while `failing` is set,
    /// 202 after; records every request.
    static func fakeStreaming(failing: LockedBox<Bool>, received: LockedBox<[Received]>, hanging: LockedBox<Bool> = LockedBox(false), arrived: LockedBox<Int> = LockedBox(0)) -> some ApplicationProtocol {
        let router = Router()
        router.post("/ingest/inplay") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            arrived.withLock { $0 += 1 }
            while hanging.value { try await Task.sleep(for: .milliseconds(10)) }
            let fail = failing.value
            received.withLock {
                $0.append(Received(
                    authorization: request.headers[.authorization],
                    idempotencyKey: request.headers[HTTPField.Name("X-Idempotency-Key")!],
                    body: String(buffer: body),
                    answered: fail ? 503 : 202
                ))
            }
            return Response(status: fail ? .serviceUnavailable : .accepted)
        }
        var logger = Logger(label: "fake-streaming")
        logger.logLevel = .error
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
    }

    @Test func forwardsUpdatesOnceStreamingRecoversWithoutBlockingDetection() async throws {
        let failing = LockedBox(true)
        let received = LockedBox<[Received]>([])
        try await Self.fakeStreaming(failing: failing, received: received).test(.live) { fake in
            let fakePort = try #require(fake.port)
            let forward = StreamingForwardConfiguration(
                baseURL: "http://127.0.0.1:\(fakePort)", token: "stream-secret", room: "desk-room",
                initialBackoff: .milliseconds(20), maximumBackoff: .milliseconds(100), requestTimeout: .seconds(2)
            )
            let service = try await InPlayApplication.build(
                configuration: try Support.configuration(streaming: forward), pipeline: MemoryPipeline(),
                logger: Support.logger, now: UTCTime(Support.day)
            )
            let outbox = try #require(service.outbox)
            try await service.application.test(.live) { client in
                let port = try #require(client.port)
                try await WebSocketProbe.with(url: "ws://127.0.0.1:\(port)/inplay/ws?token=\(Support.token)") { probe in
                    _ = try await probe.next()
                    _ = try await probe.next()
                    // Streaming is down: detection and the WebSocket still work at once.
                    let body = "[" + Support.engulfingPair("AAPL", hour: 10, minute: 0).joined(separator: ",") + "]"
                    let response = try await client.execute(
                        uri: "/inplay/bars", method: .post,
                        headers: [.authorization: "Bearer \(Support.token)"], body: ByteBuffer(string: body)
                    )
                    #expect(response.status == .accepted)
                    let update = try Support.object(try await probe.next())
                    #expect((update["payload"] as? [String: Any])?["id"] as? String == "momentum")
                    try await Support.waitUntil(.seconds(10), "two failed attempts") { outbox.failedAttemptCount >= 2 }
                    #expect(outbox.deliveredCount == 0)
                    #expect(outbox.depth == 1)

                    // More bars while streaming is still down: still processed straight away.
                    let more = "[" + Support.engulfingPair("MSFT", hour: 10, minute: 0).joined(separator: ",") + "]"
                    let second = try await client.execute(
                        uri: "/inplay/bars", method: .post,
                        headers: [.authorization: "Bearer \(Support.token)"], body: ByteBuffer(string: more)
                    )
                    #expect(second.status == .accepted)
                    let secondUpdate = try Support.object(try await probe.next())
                    #expect((secondUpdate["payload"] as? [String: Any])?["id"] as? String == "momentum")

                    // Streaming recovers: both updates arrive, in order, with the token and the body.
                    failing.withLock { $0 = false }
                    try await Support.waitUntil(.seconds(10), "both updates delivered") { outbox.deliveredCount == 2 }
                    #expect(outbox.depth == 0)
                    #expect(outbox.droppedCount == 0)
                }
            }
            let requests = received.value
            #expect(requests.allSatisfy { $0.authorization == "Bearer stream-secret" })
            let accepted = requests.filter { $0.answered == 202 }
            #expect(accepted.count == 2)
            // Retries of one update reuse its idempotency key; the two updates have different keys.
            let firstKey = try #require(requests.first?.idempotencyKey)
            #expect(requests.filter { $0.answered == 503 }.allSatisfy { $0.idempotencyKey == firstKey })
            #expect(accepted.first?.idempotencyKey == firstKey)
            #expect(accepted.last?.idempotencyKey != firstKey)
            let envelope = try Support.object(try #require(accepted.last?.body))
            #expect(envelope["room"] as? String == "desk-room")
            let message = try #require(envelope["payload"] as? [String: Any])
            #expect(message["type"] as? String == "watchlist.update")
            let payload = try #require(message["payload"] as? [String: Any])
            #expect(payload["id"] as? String == "momentum")
            let symbols = try #require(payload["symbols"] as? [[String: Any]])
            #expect(symbols.allSatisfy { ($0["setups"] as? [Any])?.count == 1 })
        }
    }

    @Test func aHangingStreamingServiceDoesNotHoldDetection() async throws {
        let hanging = LockedBox(true)
        let arrived = LockedBox(0)
        let received = LockedBox<[Received]>([])
        try await Self.fakeStreaming(failing: LockedBox(false), received: received, hanging: hanging, arrived: arrived).test(.live) { fake in
            let forward = StreamingForwardConfiguration(
                baseURL: "http://127.0.0.1:\(try #require(fake.port))", token: "stream-secret", requestTimeout: .seconds(30)
            )
            let service = try await InPlayApplication.build(
                configuration: try Support.configuration(streaming: forward), pipeline: MemoryPipeline(),
                logger: Support.logger, now: UTCTime(Support.day)
            )
            let outbox = try #require(service.outbox)
            try await service.application.test(.live) { client in
                let port = try #require(client.port)
                try await WebSocketProbe.with(url: "ws://127.0.0.1:\(port)/inplay/ws?token=\(Support.token)") { probe in
                    _ = try await probe.next()
                    _ = try await probe.next()
                    for (symbol, hour) in [("AAPL", 10), ("ES", 11), ("MSFT", 12)] {
                        let body = "[" + Support.engulfingPair(symbol, hour: hour, minute: 0).joined(separator: ",") + "]"
                        let response = try await client.execute(
                            uri: "/inplay/bars", method: .post,
                            headers: [.authorization: "Bearer \(Support.token)"], body: ByteBuffer(string: body)
                        )
                        #expect(response.status == .accepted)
                        _ = try await probe.next()
                        // The first post is stuck inside the fake streaming service.
                        try await Support.waitUntil(.seconds(10), "the first post to arrive") { arrived.value == 1 }
                    }
                    // Three updates detected and pushed while the first post still hangs.
                    #expect(outbox.deliveredCount == 0)
                    #expect(outbox.depth == 3)
                    hanging.withLock { $0 = false }
                    try await Support.waitUntil(.seconds(10), "the three updates delivered") { outbox.deliveredCount == 3 }
                }
            }
            let ids = try received.value.map { envelope -> String in
                let message = try #require(try Support.object(envelope.body)["payload"] as? [String: Any])
                return try #require((message["payload"] as? [String: Any])?["id"] as? String)
            }
            #expect(ids == ["momentum", "futures", "momentum"], "in detection order")
        }
    }

    @Test func fullOutboxDropsTheOldestAndCountsIt() {
        let outbox = StreamingOutbox(
            configuration: StreamingForwardConfiguration(baseURL: "http://127.0.0.1:9", token: "s", outboxCapacity: 2),
            metrics: InPlayMetrics(), logger: Support.logger
        )
        for index in 0..<5 { outbox.offer(watchlistID: "momentum", message: Array("{\"n\":\(index)}".utf8)) }
        #expect(outbox.depth == 2)
        #expect(outbox.droppedCount == 3)
    }
}
