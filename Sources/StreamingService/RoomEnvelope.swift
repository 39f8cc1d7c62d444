import HTTPCore
import NIOCore

/// The frames viewers receive, encoded once per event:
/// `{"room":"r","seq":N,"ts":T,"payload":{...}}` for room events, and
/// `{"room":"r","ts":T,"payload":{"type":"error"|"catchup_gap",...}}` (no `seq`: not part of the
/// room's sequence) for messages addressed to one viewer.
public enum RoomEnvelope {
    /// A room event: the stored payload bytes are copied in as they are (they are JSON objects).
    public static func event(room: String, sequence: UInt64, timestamp: Int64, payload: [UInt8]) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(payload.count + room.utf8.count + 64)
        buffer.writeString(#"{"room":"#)
        buffer.writeString(JSONText.quoted(room))
        buffer.writeString(#","seq":"#)
        buffer.writeString(String(sequence))
        buffer.writeString(#","ts":"#)
        buffer.writeString(String(timestamp))
        buffer.writeString(#","payload":"#)
        buffer.writeBytes(payload)
        buffer.writeInteger(UInt8(ascii: "}"))
        return buffer
    }

    /// A message to one viewer, outside the room's sequence.
    public static func control(room: String, timestamp: Int64, payload: [UInt8]) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeString(#"{"room":"#)
        buffer.writeString(JSONText.quoted(room))
        buffer.writeString(#","ts":"#)
        buffer.writeString(String(timestamp))
        buffer.writeString(#","payload":"#)
        buffer.writeBytes(payload)
        buffer.writeInteger(UInt8(ascii: "}"))
        return buffer
    }

    /// `{"type":"error","code":...,"message":...}` to one viewer.
    public static func error(room: String, timestamp: Int64, code: String, message: String) -> ByteBuffer {
        var payload = Array(#"{"type":"error","code":"#.utf8)
        JSONText.appendString(code, to: &payload)
        payload += Array(#","message":"#.utf8)
        JSONText.appendString(message, to: &payload)
        payload.append(UInt8(ascii: "}"))
        return control(room: room, timestamp: timestamp, payload: payload)
    }

    /// `{"type":"catchup_gap",...}`: the events after `requestedAfter` up to
    /// `firstAvailable - 1` are no longer retained (`reason` `retention`), or the pipeline's
    /// sequence restarted below what the viewer saw (`reason` `reset`).
    public static func catchUpGap(room: String, timestamp: Int64, requestedAfter: UInt64, firstAvailable: UInt64, lastSequence: UInt64, reason: String) -> ByteBuffer {
        let payload = #"{"type":"catchup_gap","reason":"\#(reason)","requested_after":\#(requestedAfter),"first_available":\#(firstAvailable),"last_sequence":\#(lastSequence)}"#
        return control(room: room, timestamp: timestamp, payload: Array(payload.utf8))
    }
}
