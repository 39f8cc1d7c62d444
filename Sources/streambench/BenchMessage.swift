import NIOCore

/// The marker the benchmark puts in every message: `"bench_seq":N,"bench_ts":T` where T is
/// ``BenchClock`` nanoseconds at publish time. Subscribers find it by scanning bytes, without
/// decoding JSON, so the measuring client costs little.
enum BenchMessage {
    static let sequenceKey = Array(#""bench_seq":"#.utf8)
    static let timestampKey = Array(#""bench_ts":"#.utf8)

    /// The JSON object a producer sends (a business payload as the services expect it).
    static func payload(sequence: Int, timestamp: UInt64, padding: Int) -> String {
        #"{"type":"bench","bench_seq":\#(sequence),"bench_ts":\#(timestamp),"pad":"\#(String(repeating: "x", count: max(0, padding)))"}"#
    }

    /// The sequence and timestamp found in a delivered frame, if any.
    static func parse(_ buffer: ByteBuffer) -> (sequence: Int, timestamp: UInt64)? {
        buffer.withUnsafeReadableBytes { parse(bytes: $0) }
    }

    /// The sequence and timestamp found in a delivered payload's bytes, if any.
    static func parse(bytes: UnsafeRawBufferPointer) -> (sequence: Int, timestamp: UInt64)? {
        guard let sequence = number(after: sequenceKey, in: bytes), let timestamp = number(after: timestampKey, in: bytes) else { return nil }
        return (Int(sequence), timestamp)
    }

    private static func number(after key: [UInt8], in bytes: UnsafeRawBufferPointer) -> UInt64? {
        guard bytes.count >= key.count else { return nil }
        var index = 0
        let last = bytes.count - key.count
        outer: while index <= last {
            for offset in 0..<key.count where bytes[index + offset] != key[offset] {
                index += 1
                continue outer
            }
            var value: UInt64 = 0
            var cursor = index + key.count
            var digits = 0
            while cursor < bytes.count, bytes[cursor] >= 48, bytes[cursor] <= 57 {
                value = value * 10 + UInt64(bytes[cursor] - 48)
                cursor += 1
                digits += 1
            }
            return digits > 0 ? value : nil
        }
        return nil
    }
}
