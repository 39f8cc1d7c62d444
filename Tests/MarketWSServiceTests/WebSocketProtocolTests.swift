import Foundation
import Hummingbird
import HummingbirdTesting
import MarketEngine
import MarketWSService
import NIOWebSocket
import Testing

@Suite(.serialized) struct WebSocketProtocolTests {
    @Test func failedAuthenticationClosesWith4001() async throws {
        let harness = try MarketWSTestHarness()
        try await harness.built.application.test(.live) { client in
            let port = try #require(client.port)
            for attempt in [
                TestClient.connect(port: port, apiKey: "wrong"),
                TestClient.connect(port: port, queryKey: "wrong"),
                TestClient.connect(port: port),
            ] {
                let code = try await attempt.closeCode()
                #expect(code == 4001)
                #expect(attempt.texts.isEmpty, "nothing is sent before the close")
            }
        }
    }

    @Test func authenticatesByHeaderOrQuery() async throws {
        let harness = try MarketWSTestHarness()
        try await harness.built.application.test(.live) { client in
            let port = try #require(client.port)
            let byHeader = TestClient.connect(port: port, apiKey: "key-a")
            let byQuery = TestClient.connect(port: port, queryKey: "key-b")
            let first = try await byHeader.next(type: "AUTHENTICATED")
            #expect(first.payload["operatorId"] as? String == "op-a")
            #expect((first.payload["clientId"] as? String)?.hasPrefix("ws-") == true)
            let second = try await byQuery.next(type: "AUTHENTICATED")
            #expect(second.payload["operatorId"] as? String == "op-b")
            #expect(second.payload["clientId"] as? String != first.payload["clientId"] as? String)
            #expect(Set(first.keys) == ["type", "payload"], "the seed's shape, nothing added")
            await byHeader.close()
            await byQuery.close()
        }
    }

    @Test func everyMessageAndErrorLeavesTheSocketUsable() async throws {
        let harness = try MarketWSTestHarness(markets: ["m-config"])
        try await harness.createMarket("m-1")
        try await harness.createMarket("m-2")
        try await harness.built.application.test(.live) { client in
            let port = try #require(client.port)
            try await harness.waitForFeed(2)
            let ws = TestClient.connect(port: port, apiKey: "key-a")
            _ = try await ws.next(type: "AUTHENTICATED")

            ws.send(#"{ "type": "PING" }"#)
            let pong = try await ws.next()
            #expect(pong.type == "PONG")
            #expect(Set(pong.keys) == ["type"])

            ws.send(#"{"type":"INVALID"}"#)
            var error = try await ws.next()
            #expect(error.type == "ERROR")
            #expect(error.payload["code"] as? String == "INVALID_MESSAGE")
            #expect(error.payload["message"] as? String == "Unknown message type: INVALID")

            ws.send("{not json")
            error = try await ws.next()
            #expect(error.payload["code"] as? String == "INVALID_JSON")

            ws.send(#"{"type":"SUBSCRIBE","payload":{}}"#)
            error = try await ws.next()
            #expect(error.payload["code"] as? String == "MISSING_FIELD")

            ws.send(#"{"type":"SUBSCRIBE"}"#)
            error = try await ws.next()
            #expect(error.payload["code"] as? String == "MISSING_FIELD")

            ws.send(#"{"type":"SUBSCRIBE","payload":{"marketIds":[42]}}"#)
            error = try await ws.next()
            #expect(error.payload["code"] as? String == "INVALID_FIELD")

            ws.send(#"{"type":"SUBSCRIBE","payload":{"marketIds":"m-nowhere"}}"#)
            error = try await ws.next()
            #expect(error.payload["code"] as? String == "UNKNOWN_MARKET")
            #expect((error.payload["message"] as? String)?.contains("m-nowhere") == true)

            // One string, answered with an array, then the snapshot.
            ws.send(#"{"type":"SUBSCRIBE","payload":{"marketIds":"m-1"}}"#)
            let subscribed = try await ws.next()
            #expect(subscribed.type == "SUBSCRIBED")
            #expect(subscribed.payload["marketIds"] as? [String] == ["m-1"])
            let snapshot = try await ws.next()
            #expect(snapshot.type == "SNAPSHOT")
            #expect(snapshot.payload["marketId"] as? String == "m-1")

            // An array with an unknown id: ERROR for it, SUBSCRIBED for the others.
            ws.send(#"{"type":"SUBSCRIBE","payload":{"marketIds":["m-2","m-config","m-nowhere"]}}"#)
            error = try await ws.next()
            #expect(error.payload["code"] as? String == "UNKNOWN_MARKET")
            let both = try await ws.next()
            #expect(both.type == "SUBSCRIBED")
            #expect(both.payload["marketIds"] as? [String] == ["m-2", "m-config"])
            #expect(try await ws.next().payload["marketId"] as? String == "m-2")
            let configured = try await ws.next()
            #expect(configured.type == "SNAPSHOT")
            #expect(configured.payload["status"] is NSNull, "known by configuration, no event yet")

            ws.send(#"{"type":"UNSUBSCRIBE","payload":{"marketIds":["m-1"]}}"#)
            let unsubscribed = try await ws.next()
            #expect(unsubscribed.type == "UNSUBSCRIBED")
            #expect(unsubscribed.payload["marketIds"] as? [String] == ["m-1"])

            // Unsubscribed from m-1: its events no longer come, m-2's do.
            let m1 = try await harness.place("m-1", .buy, price: "0.50", shares: 10, operatorId: "op-a")
            let m2 = try await harness.place("m-2", .buy, price: "0.50", shares: 10, operatorId: "op-a")
            let next = try await ws.next { $0.seq != nil && $0.type != "HEARTBEAT" }
            #expect(next.seq == m2.first?.0)
            #expect(next.payload["marketId"] as? String == "m-2")
            #expect(!ws.messages.contains { ($0.payload["marketId"] as? String) == "m-1" && $0.seq == m1.first?.0 })

            ws.send(#"{"type":"PING"}"#)
            #expect(try await ws.next(type: "PONG").type == "PONG")
            await ws.close()
        }
    }

    @Test func heartbeatsCarryTheLastSequence() async throws {
        let harness = try MarketWSTestHarness(heartbeat: .milliseconds(100))
        let created = try await harness.createMarket("m-1")
        try await harness.built.application.test(.live) { client in
            let port = try #require(client.port)
            try await harness.waitForFeed(created.last!.0)
            let ws = TestClient.connect(port: port, apiKey: "key-a")
            _ = try await ws.next(type: "AUTHENTICATED")
            let first = try await ws.next(type: "HEARTBEAT", .seconds(5))
            #expect(first.seq == created.last!.0)
            #expect((first["timestamp"] as? NSNumber)?.int64Value ?? 0 > 1_700_000_000_000)
            let later = try await harness.place("m-1", .buy, price: "0.20", shares: 5, operatorId: "op-b")
            try await harness.waitForFeed(later.last!.0)
            let second = try await ws.next(.seconds(5)) { $0.type == "HEARTBEAT" && $0.seq == later.last!.0 }
            #expect(second.seq == later.last!.0)
            await ws.close()
        }
    }
}
