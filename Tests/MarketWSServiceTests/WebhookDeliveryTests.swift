import AsyncHTTPClient
import BrokerTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MarketEngine
import MarketFeed
import MarketWSService
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

@Suite(.serialized) struct WebhookDeliveryTests {
    static func json(_ buffer: ByteBuffer) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))) as? [String: Any] ?? [:]
    }

    @Test func restManagesAnOperatorsOwnWebhooks() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mws-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let harness = try MarketWSTestHarness(dataDirectory: folder)
        try await harness.built.application.test(.router) { client in
            let keyA: HTTPFields = [HTTPField.Name("X-Api-Key")!: "key-a", .contentType: "application/json"]
            let keyB: HTTPFields = [HTTPField.Name("X-Api-Key")!: "key-b", .contentType: "application/json"]
            try await client.execute(uri: "/webhooks", method: .post, body: ByteBuffer(string: #"{"url":"http://127.0.0.1:9/x"}"#)) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/webhooks", method: .post, headers: keyA, body: ByteBuffer(string: #"{"url":"ftp://x"}"#)) { response in
                #expect(response.status == .unprocessableContent)
            }
            try await client.execute(uri: "/webhooks", method: .post, headers: keyA, body: ByteBuffer(string: #"{"url":"http://127.0.0.1:9/x","eventTypes":["NOPE"]}"#)) { response in
                #expect(response.status == .unprocessableContent)
                #expect((Self.json(response.body)["error"] as? [String: Any])?["code"] as? String == "invalid_event_types")
            }
            try await client.execute(uri: "/webhooks", method: .post, headers: keyA, body: ByteBuffer(string: "{oops")) { response in
                #expect(response.status == .badRequest)
            }
            var id = ""
            try await client.execute(uri: "/webhooks", method: .post, headers: keyA,
                                     body: ByteBuffer(string: #"{"url":"http://127.0.0.1:9/x","eventTypes":["TRADE","ORDER_UPDATE"]}"#)) { response in
                #expect(response.status == .created)
                let body = Self.json(response.body)
                id = body["id"] as? String ?? ""
                #expect(id.hasPrefix("wh_"))
                #expect((body["secret"] as? String)?.hasPrefix("whsec_") == true)
                #expect(body["eventTypes"] as? [String] == ["TRADE", "ORDER_UPDATE"])
            }
            try await client.execute(uri: "/webhooks", method: .get, headers: keyA) { response in
                let list = Self.json(response.body)["webhooks"] as? [[String: Any]] ?? []
                #expect(list.map { $0["id"] as? String } == [id])
                #expect(list.first?["secret"] == nil, "the secret is shown once")
            }
            try await client.execute(uri: "/webhooks", method: .get, headers: keyB) { response in
                #expect((Self.json(response.body)["webhooks"] as? [Any])?.isEmpty == true)
            }
            try await client.execute(uri: "/webhooks/\(id)/deliveries", method: .get, headers: keyB) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/webhooks/\(id)/deliveries", method: .get, headers: keyA) { response in
                #expect(response.status == .ok)
                #expect(Self.json(response.body)["deliveries"] is [Any])
            }
            try await client.execute(uri: "/webhooks/\(id)", method: .delete, headers: keyB) { response in
                #expect(response.status == .notFound)
            }
            // Persisted: a new node on the same folder lists it.
            let restarted = try MarketWSTestHarness(dataDirectory: folder)
            #expect(restarted.built.webhooks.all.map(\.id) == [id])
            try await client.execute(uri: "/webhooks/\(id)", method: .delete, headers: keyA) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/webhooks/\(id)", method: .delete, headers: keyA) { response in
                #expect(response.status == .notFound)
            }
            #expect(try MarketWSTestHarness(dataDirectory: folder).built.webhooks.all.isEmpty)
        }
    }

    @Test func aReceiverDownThenUpGetsEveryEventSignedAndInOrder() async throws {
        let harness = try MarketWSTestHarness()
        try await harness.createMarket("m-1")
        let port = try MarketWSProcess.freePort()
        let receiver = WebhookReceiver(port: port, failFirst: 3)
        try await harness.built.application.test(.live) { client in
            let appPort = try #require(client.port)
            try await harness.waitForFeed(1)
            // Register through REST, as an operator would.
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(appPort)/webhooks")
            request.method = .POST
            request.headers.add(name: "X-Api-Key", value: "key-b")
            request.body = .bytes(ByteBuffer(string: #"{"url":"http://127.0.0.1:\#(port)/hook","eventTypes":["TRADE","ORDER_UPDATE","POSITION_UPDATE"]}"#))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            #expect(response.status == .created)
            let created = Self.json(try await response.body.collect(upTo: 1 << 16))
            let secret = try #require(created["secret"] as? String)
            let webhookId = try #require(created["id"] as? String)
            receiver.secret.withLock { $0 = secret }

            // The receiver is not listening: events pile up and are retried.
            var published: [(UInt64, MarketEvent)] = []
            published += try await harness.place("m-1", .sell, price: "0.60", shares: 100, operatorId: "op-a")
            published += try await harness.place("m-1", .buy, price: "0.60", shares: 10, operatorId: "op-b")
            published += try await harness.place("m-1", .buy, price: "0.60", shares: 15, operatorId: "op-a")
            published += try await harness.place("m-1", .buy, price: "0.60", shares: 5, operatorId: "op-b")
            let dispatcher = try #require(harness.built.dispatcher)
            try await waitUntil("failed attempts") {
                dispatcher.deliveries(endpointId: webhookId).filter { $0.outcome == .retrying }.count >= 3
            }
            // Up again (answering 503 three times first): everything arrives.
            try await receiver.start()
            let expected = published.filter { event in
                ["TRADE", "ORDER_UPDATE", "POSITION_UPDATE"].contains(event.1.type) && (event.1.operatorId == nil || event.1.operatorId == "op-b")
            }.map(\.0)
            #expect(expected.count >= 4, "trades and op-b's own order and position updates")
            try await waitUntil("every delivery", timeout: .seconds(30)) { receiver.deliveries.withLock { $0.count } >= expected.count }
            let deliveries = receiver.deliveries.withLock { $0 }
            #expect(deliveries.map(\.seq) == expected, "each once, in order, none of op-a's private events")
            #expect(deliveries.allSatisfy { $0.signatureValid })
            #expect(receiver.refusals.load(ordering: .relaxed) >= expected.count + 3)
            let body = try #require(TestClient.parse(deliveries[0].body))
            #expect(body.seq == expected[0])
            #expect(body["payload"] is [String: Any])
            // The dispatcher logs a delivery once it has read the receiver's answer, just after
            // the receiver recorded it.
            try await waitUntil("the delivery log") {
                dispatcher.deliveries(endpointId: webhookId).filter { $0.outcome == .delivered }.count >= expected.count
            }
            let log = dispatcher.deliveries(endpointId: webhookId)
            #expect(log.contains { $0.outcome == .retrying && $0.responseStatus == nil }, "connection refused while down")
            #expect(log.contains { $0.outcome == .retrying && $0.responseStatus == 503 })
            #expect(log.filter { $0.outcome == .delivered }.map(\.seq) == expected)
        }
        await receiver.stop()
    }
}
