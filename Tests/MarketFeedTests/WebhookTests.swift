import Foundation
import Logging
import MarketEngine
import MarketFeed
import Synchronization
import Testing

/// A transport that fails while `failing` is set and records what arrives.
final class ScriptedTransport: WebhookTransport {
    let failing = Mutex(true)
    let received = Mutex<[(headers: [String: String], body: [UInt8])]>([])
    let attempts = Atomic<Int>(0)

    func post(url: String, headers: [(String, String)], body: [UInt8], timeout: Duration) async throws -> Int {
        attempts.add(1, ordering: .relaxed)
        if failing.withLock({ $0 }) { return 503 }
        received.withLock { $0.append((Dictionary(headers, uniquingKeysWith: { $1 }), body)) }
        return 204
    }
}

@Suite struct WebhookTests {
    static let logger = Logger(label: "webhook-test")

    static func waitUntil(_ timeout: Duration = .seconds(10), _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while !condition() {
            guard ContinuousClock.now < deadline else { throw CancellationError() }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    @Test func signatureVerifiesAndRefusesTampering() {
        let body = Array(#"{"type":"TRADE","seq":1,"payload":{}}"#.utf8)
        let header = WebhookSignature.header(secret: "whsec_x", timestamp: 1_700_000_000, body: body)
        #expect(header.hasPrefix("t=1700000000,v1="))
        #expect(header.count == "t=1700000000,v1=".count + 64)
        #expect(WebhookSignature.verify(header: header, secret: "whsec_x", body: body, now: 1_700_000_010))
        #expect(!WebhookSignature.verify(header: header, secret: "whsec_y", body: body, now: 1_700_000_010))
        #expect(!WebhookSignature.verify(header: header, secret: "whsec_x", body: body + [0x20], now: 1_700_000_010))
        #expect(!WebhookSignature.verify(header: header, secret: "whsec_x", body: body, now: 1_700_001_000), "too old")
        #expect(!WebhookSignature.verify(header: "garbage", secret: "whsec_x", body: body, now: 1_700_000_000))
    }

    @Test func defaultRetryScheduleSpansAboutTenMinutes() {
        let policy = WebhookRetryPolicy()
        #expect((1...7).map { policy.delay(afterAttempt: $0) } == [5, 10, 20, 40, 80, 160, 300].map { Duration.seconds($0) })
        #expect(policy.retryWindow == .seconds(615))
        #expect(policy.maxAttempts == 8)
    }

    @Test func registrationsSurviveAReload() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wh-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("webhooks.json")
        let registry = try WebhookRegistry(fileURL: file)
        let first = try registry.register(operatorId: "op-a", url: "http://127.0.0.1:1/hook", eventTypes: ["TRADE"], now: 1)
        let second = try registry.register(operatorId: "op-b", url: "http://127.0.0.1:2/hook", eventTypes: ["ORDER_UPDATE"], now: 2)
        #expect(first.secret.hasPrefix("whsec_"))
        #expect(first.secret != second.secret)
        #expect(try registry.remove(id: first.id, operatorId: "op-b") == false, "another operator cannot delete it")
        let reloaded = try WebhookRegistry(fileURL: file)
        #expect(reloaded.all == [first, second])
        #expect(try reloaded.remove(id: first.id, operatorId: "op-a"))
        #expect(try WebhookRegistry(fileURL: file).all == [second])
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }

    @Test func aReceiverDownThenUpGetsEverythingInOrder() async throws {
        let script = try EventScript.tradedMarket("m-1")
        let transport = ScriptedTransport()
        let policy = WebhookRetryPolicy(maxAttempts: 20, initialDelay: .milliseconds(10), maxDelay: .milliseconds(40))
        let dispatcher = WebhookDispatcher(transport: transport, policy: policy, logger: Self.logger)
        defer { dispatcher.shutdown() }
        let endpoint = WebhookEndpoint(id: "wh_1", operatorId: "op-b", url: "http://x", eventTypes: WebhookEndpoint.knownEventTypes,
                                       secret: "whsec_s", createdAt: 0)
        dispatcher.add(endpoint)
        let events = script.events.enumerated().map { FeedEvent(sequence: UInt64($0.offset + 1), event: $0.element) }
        for event in events { dispatcher.offer(event) }
        let expected = events.filter { $0.visibility.allows("op-b") }.map(\.sequence)
        #expect(expected.count < events.count, "op-a's private events are not op-b's")
        try await Self.waitUntil { transport.attempts.load(ordering: .relaxed) >= 3 }
        transport.failing.withLock { $0 = false }
        try await Self.waitUntil { transport.received.withLock { $0.count } == expected.count }
        let received = transport.received.withLock { $0 }
        #expect(received.map { UInt64($0.headers["X-Webhook-Event-Seq"]!)! } == expected)
        for delivery in received {
            let header = try #require(delivery.headers["X-Webhook-Signature"])
            let timestamp = try #require(Int64(delivery.headers["X-Webhook-Timestamp"]!))
            #expect(WebhookSignature.verify(header: header, secret: "whsec_s", body: delivery.body, now: timestamp))
        }
        let log = dispatcher.deliveries(endpointId: "wh_1")
        #expect(log.filter { $0.outcome == .delivered }.count == expected.count)
        #expect(log.contains { $0.outcome == .retrying && $0.responseStatus == 503 })
    }

    @Test func attemptsRunOutThenTheEventIsAbandoned() async throws {
        let script = try EventScript.tradedMarket("m-1")
        let transport = ScriptedTransport()
        let policy = WebhookRetryPolicy(maxAttempts: 3, initialDelay: .milliseconds(5), maxDelay: .milliseconds(5))
        let dispatcher = WebhookDispatcher(transport: transport, policy: policy, logger: Self.logger)
        defer { dispatcher.shutdown() }
        dispatcher.add(WebhookEndpoint(id: "wh_2", operatorId: "op-a", url: "http://x", eventTypes: ["MARKET_STATUS"], secret: "s", createdAt: 0))
        dispatcher.offer(FeedEvent(sequence: 1, event: script.events[0]))
        try await Self.waitUntil { dispatcher.deliveries(endpointId: "wh_2").contains { $0.outcome == .abandoned } }
        let log = dispatcher.deliveries(endpointId: "wh_2")
        #expect(log.map(\.attempt) == [1, 2, 3])
        #expect(log.map(\.outcome) == [.retrying, .retrying, .abandoned])
        #expect(dispatcher.backlog(endpointId: "wh_2") == 0)
    }
}
