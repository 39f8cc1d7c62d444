import MarketEngine

/// The wire messages market-ws writes, as bytes encoded once.
///
/// The seed's messages keep their exact fields; the additions (`seq`, `SNAPSHOT`,
/// `HEARTBEAT`) are new top-level fields or new types only, so a client written against the
/// seed keeps working.
public enum FeedMessage {
    /// An event message: the seed's `{"type":...,"payload":...}` with `"seq":N` after the type.
    ///
    /// `published` is the message as order-router encoded it; when it does not start with
    /// `{"type":"<type>"` (another encoder), the event is encoded again.
    public static func event(_ published: [UInt8], type: String, sequence: UInt64, event: MarketEvent? = nil) -> [UInt8] {
        let prefix = Array("{\"type\":\"\(type)\"".utf8)
        var out = [UInt8]()
        out.reserveCapacity(published.count + 24)
        if published.count > prefix.count, published.starts(with: prefix), published[prefix.count] == UInt8(ascii: ",") {
            out.append(contentsOf: prefix)
            appendSequence(sequence, to: &out)
            out.append(contentsOf: published[prefix.count...])
            return out
        }
        guard let event else {
            // Not the engine's layout: wrap the published object as the payload of a fresh one.
            out.append(contentsOf: prefix)
            appendSequence(sequence, to: &out)
            return out + Array(",\"payload\":".utf8) + published + [UInt8(ascii: "}")]
        }
        return self.event(EventJSONEncoder().encode(event), type: type, sequence: sequence)
    }

    private static func appendSequence(_ sequence: UInt64, to out: inout [UInt8]) {
        out.append(contentsOf: ",\"seq\":".utf8)
        out.append(contentsOf: String(sequence).utf8)
    }

    /// `{"type":"AUTHENTICATED","payload":{"clientId":...,"operatorId":...}}`.
    public static func authenticated(clientId: String, operatorId: String) -> [UInt8] {
        var out = Array(#"{"type":"AUTHENTICATED","payload":{"clientId":"#.utf8)
        JSONWriting.appendString(clientId, to: &out)
        out.append(contentsOf: #","operatorId":"#.utf8)
        JSONWriting.appendString(operatorId, to: &out)
        out.append(contentsOf: "}}".utf8)
        return out
    }

    /// `{"type":"SUBSCRIBED","payload":{"marketIds":[...]}}`.
    public static func subscribed(_ marketIds: [String]) -> [UInt8] {
        marketList(type: "SUBSCRIBED", marketIds)
    }

    /// `{"type":"UNSUBSCRIBED","payload":{"marketIds":[...]}}`.
    public static func unsubscribed(_ marketIds: [String]) -> [UInt8] {
        marketList(type: "UNSUBSCRIBED", marketIds)
    }

    private static func marketList(type: String, _ marketIds: [String]) -> [UInt8] {
        var out = Array("{\"type\":\"\(type)\",\"payload\":{\"marketIds\":[".utf8)
        for (index, id) in marketIds.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONWriting.appendString(id, to: &out)
        }
        out.append(contentsOf: "]}}".utf8)
        return out
    }

    /// `{"type":"PONG"}`, as the seed shows it.
    public static let pong: [UInt8] = Array(#"{"type":"PONG"}"#.utf8)

    /// `{"type":"ERROR","payload":{"code":...,"message":...}}`.
    public static func error(code: String, message: String) -> [UInt8] {
        var out = Array(#"{"type":"ERROR","payload":{"code":"#.utf8)
        JSONWriting.appendString(code, to: &out)
        out.append(contentsOf: #","message":"#.utf8)
        JSONWriting.appendString(message, to: &out)
        out.append(contentsOf: "}}".utf8)
        return out
    }

    /// `{"type":"HEARTBEAT","seq":N,"timestamp":ms}`: `seq` is the last sequence the node
    /// processed, so a client whose last event is older than it knows it missed nothing, and a
    /// client that stops receiving heartbeats knows the feed froze.
    public static func heartbeat(sequence: UInt64, timestamp: Int64) -> [UInt8] {
        Array(#"{"type":"HEARTBEAT","seq":\#(sequence),"timestamp":\#(timestamp)}"#.utf8)
    }
}
