/// Engine-assigned ids (`ord-<n>`, `txn-<n>`, `pos-<n>`) formatted without string
/// interpolation: they are built for every event, and these fit Swift's inline small strings.
enum EngineID {
    /// `prefix` followed by the decimal digits of `number` (positive), written right to left
    /// in one pass into a stack buffer (at most 4 + 19 bytes).
    static func make(_ prefix: StaticString, _ number: Int) -> String {
        var scratch: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        return withUnsafeMutableBytes(of: &scratch) { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            var index = bytes.count
            var rest = number
            repeat {
                index -= 1
                bytes[index] = UInt8(truncatingIfNeeded: rest % 10) &+ UInt8(ascii: "0")
                rest /= 10
            } while rest > 0
            prefix.withUTF8Buffer { source in
                index -= source.count
                for offset in 0..<source.count { bytes[index + offset] = source[offset] }
            }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[index...]), as: UTF8.self)
        }
    }

    /// `ord-<index + 1>`.
    static func order(_ index: Int) -> String { make("ord-", index + 1) }
    /// `txn-<number>`.
    static func trade(_ number: Int) -> String { make("txn-", number) }
    /// `pos-<index + 1>`.
    static func position(_ index: Int) -> String { make("pos-", index + 1) }
}
