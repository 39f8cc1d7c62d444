/// Engine-assigned ids (`ord-<n>`, `txn-<n>`, `pos-<n>`) formatted without string
/// interpolation: they are built for every event, and these fit Swift's inline small strings.
enum EngineID {
    /// `prefix` followed by the decimal digits of `number` (positive), written straight into
    /// the string's storage (inline for up to 15 bytes).
    static func make(_ prefix: StaticString, _ number: Int) -> String {
        var digits = 1
        var rest = number
        while rest >= 10 {
            rest /= 10
            digits += 1
        }
        let count = prefix.utf8CodeUnitCount + digits
        return String(unsafeUninitializedCapacity: count) { buffer in
            prefix.withUTF8Buffer { source in
                for offset in 0..<source.count { buffer[offset] = source[offset] }
            }
            var index = count
            var rest = number
            repeat {
                index -= 1
                buffer[index] = UInt8(truncatingIfNeeded: rest % 10) &+ UInt8(ascii: "0")
                rest /= 10
            } while rest > 0
            return count
        }
    }

    /// `ord-<index + 1>`.
    static func order(_ index: Int) -> String { make("ord-", index + 1) }
    /// `txn-<number>`.
    static func trade(_ number: Int) -> String { make("txn-", number) }
    /// `pos-<index + 1>`.
    static func position(_ index: Int) -> String { make("pos-", index + 1) }
}
