import SecurityPrimitives
import Synchronization

/// Request ids: 12 bytes, URL-safe (16 characters). The first 6 bytes are random once per
/// process, the last 6 count requests, so ids are unique across processes and restarts
/// without a call to the system's random generator on every request (ids identify, they do
/// not authorise anything).
public enum RequestID {
    private static let processPrefix = SecureRandom.bytes(6)
    private static let counter = Atomic<UInt64>(UInt64(SecureRandom.bytes(2).reduce(0) { $0 << 8 | UInt64($1) }) << 32)

    /// A fresh id.
    public static func make() -> String {
        let number = counter.wrappingAdd(1, ordering: .relaxed).newValue
        var bytes = processPrefix
        for shift in stride(from: 40, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: number >> UInt64(shift)))
        }
        return Base64URL.encode(bytes)
    }
}
