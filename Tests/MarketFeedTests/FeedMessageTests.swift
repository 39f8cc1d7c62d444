import Foundation
import MarketEngine
import MarketFeed
import Testing

@Suite struct FeedMessageTests {
    static func json(_ bytes: [UInt8]) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    @Test func eventMessageKeepsTheSeedPayloadAndAddsSeq() throws {
        let script = try EventScript.tradedMarket("m-1")
        for (index, event) in script.events.enumerated() {
            let published = EventJSONEncoder().encode(event)
            let feedEvent = try FeedEvent(sequence: UInt64(index + 40), payload: published)
            let message = try Self.json(feedEvent.message)
            let original = try Self.json(published)
            #expect(message["type"] as? String == event.type)
            #expect((message["seq"] as? NSNumber)?.uint64Value == UInt64(index + 40))
            #expect(Set(message.keys) == ["type", "seq", "payload"])
            #expect(NSDictionary(dictionary: message["payload"] as! [String: Any]) == NSDictionary(dictionary: original["payload"] as! [String: Any]))
            // The bytes after the spliced seq are the published bytes, untouched.
            #expect(String(decoding: feedEvent.message, as: UTF8.self).hasSuffix(String(decoding: published.dropFirst(9 + event.type.utf8.count + 1), as: UTF8.self)))
        }
    }

    @Test func privateEventsAreVisibleToTheirOwnerOnly() throws {
        let script = try EventScript.tradedMarket("m-1")
        let privateEvents = script.events.filter { $0.operatorId != nil }
        #expect(!privateEvents.isEmpty)
        for event in script.events {
            let visibility = EventVisibility(of: event)
            switch event {
            case .order(let update):
                #expect(visibility == .owner(operatorId: update.operatorId))
                #expect(visibility.allows(update.operatorId))
                #expect(!visibility.allows("op-other"))
            case .position(let update):
                #expect(visibility.allows(update.operatorId))
                #expect(!visibility.allows("op-other"))
            default:
                #expect(visibility == .everyone)
                #expect(visibility.allows("op-other"))
            }
        }
    }

    @Test func undecodablePayloadsAreRefused() {
        #expect(throws: FeedError.undecodableEvent) { try FeedEvent(sequence: 1, payload: Array("{\"type\":\"NOPE\",\"payload\":{}}".utf8)) }
        #expect(throws: FeedError.undecodableEvent) { try FeedEvent(sequence: 1, payload: Array("not json".utf8)) }
    }

    @Test func controlMessagesHaveTheSeedShapes() throws {
        let authenticated = try Self.json(FeedMessage.authenticated(clientId: "ws-1", operatorId: "op \"q\""))
        #expect(authenticated["type"] as? String == "AUTHENTICATED")
        let payload = try #require(authenticated["payload"] as? [String: Any])
        #expect(payload["clientId"] as? String == "ws-1")
        #expect(payload["operatorId"] as? String == "op \"q\"")
        let subscribed = try Self.json(FeedMessage.subscribed(["a", "b"]))
        #expect((subscribed["payload"] as? [String: Any])?["marketIds"] as? [String] == ["a", "b"])
        #expect(String(decoding: FeedMessage.pong, as: UTF8.self) == #"{"type":"PONG"}"#)
        let error = try Self.json(FeedMessage.error(code: "INVALID_MESSAGE", message: "Unknown message type: X"))
        #expect((error["payload"] as? [String: Any])?["message"] as? String == "Unknown message type: X")
        let heartbeat = try Self.json(FeedMessage.heartbeat(sequence: 7, timestamp: 99))
        #expect(heartbeat["type"] as? String == "HEARTBEAT")
        #expect((heartbeat["seq"] as? NSNumber)?.intValue == 7)
    }
}
