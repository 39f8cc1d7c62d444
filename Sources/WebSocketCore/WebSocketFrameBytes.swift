import NIOCore

/// Whole server-to-client WebSocket frames (RFC 6455 §5.2: FIN set, no mask) encoded once, so
/// a message fanned out to many connections costs one encoding, not one per connection.
enum WebSocketFrameBytes {
    /// A final, unmasked text frame carrying `payload`.
    static func text(_ payload: ByteBuffer) -> ByteBuffer {
        frame(opcodeByte: 0x81, payload: payload)
    }

    private static func frame(opcodeByte: UInt8, payload: ByteBuffer) -> ByteBuffer {
        let length = payload.readableBytes
        var frame = ByteBufferAllocator().buffer(capacity: length + 10)
        frame.writeInteger(opcodeByte)
        if length < 126 {
            frame.writeInteger(UInt8(length))
        } else if length <= Int(UInt16.max) {
            frame.writeInteger(UInt8(126))
            frame.writeInteger(UInt16(length))
        } else {
            frame.writeInteger(UInt8(127))
            frame.writeInteger(UInt64(length))
        }
        var payload = payload
        frame.writeBuffer(&payload)
        return frame
    }
}
