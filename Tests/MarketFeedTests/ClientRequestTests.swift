import MarketFeed
import Testing

@Suite struct ClientRequestTests {
    @Test func subscribeAcceptsAnArrayOrOneString() throws {
        #expect(try ClientRequest.parse(#"{"type":"SUBSCRIBE","payload":{"marketIds":["a","b","a"]}}"#).get() == .subscribe(marketIds: ["a", "b"], fromSequence: nil))
        #expect(try ClientRequest.parse(#"{"type":"SUBSCRIBE","payload":{"marketIds":"a"}}"#).get() == .subscribe(marketIds: ["a"], fromSequence: nil))
        #expect(try ClientRequest.parse(#"{"type":"SUBSCRIBE","payload":{"marketIds":"a","fromSeq":42}}"#).get() == .subscribe(marketIds: ["a"], fromSequence: 42))
        #expect(try ClientRequest.parse(#"{"type":"UNSUBSCRIBE","payload":{"marketIds":"a"}}"#).get() == .unsubscribe(marketIds: ["a"]))
        #expect(try ClientRequest.parse(#"{ "type": "PING" }"#).get() == .ping)
    }

    @Test(arguments: [
        ("{not json", "INVALID_JSON"),
        (#"{"type":"INVALID"}"#, "INVALID_MESSAGE"),
        (#"[1,2]"#, "INVALID_MESSAGE"),
        (#"{"payload":{}}"#, "MISSING_FIELD"),
        (#"{"type":"SUBSCRIBE"}"#, "MISSING_FIELD"),
        (#"{"type":"SUBSCRIBE","payload":{}}"#, "MISSING_FIELD"),
        (#"{"type":"SUBSCRIBE","payload":{"marketIds":[]}}"#, "INVALID_FIELD"),
        (#"{"type":"SUBSCRIBE","payload":{"marketIds":[1]}}"#, "INVALID_FIELD"),
        (#"{"type":"SUBSCRIBE","payload":{"marketIds":"a","fromSeq":-1}}"#, "INVALID_FIELD"),
        (#"{"type":7}"#, "INVALID_FIELD"),
    ])
    func badMessagesGetDocumentedCodes(text: String, code: String) {
        guard case .failure(let error) = ClientRequest.parse(text) else {
            Issue.record("\(text) was accepted")
            return
        }
        #expect(error.code == code)
    }

    @Test func unknownTypeMessageIsTheSeedOne() {
        guard case .failure(let error) = ClientRequest.parse(#"{"type":"INVALID"}"#) else {
            Issue.record("accepted")
            return
        }
        #expect(error.message == "Unknown message type: INVALID")
    }
}
