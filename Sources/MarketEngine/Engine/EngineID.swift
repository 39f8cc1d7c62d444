/// Engine-assigned ids (`ord-<n>`, `txn-<n>`, `pos-<n>`) formatted without string
/// interpolation: they are built for every event, and these fit Swift's inline small strings.
enum EngineID {
    /// `prefix` followed by the decimal digits of `number` (positive).
    static func make(_ prefix: StaticString, _ number: Int) -> String {
        var digits = 1
        var probe = number
        while probe >= 10 {
            probe /= 10
            digits += 1
        }
        let prefixLength = prefix.utf8CodeUnitCount
        return String(unsafeUninitializedCapacity: prefixLength + digits) { buffer in
            prefix.withUTF8Buffer { source in
                for index in 0..<prefixLength { buffer[index] = source[index] }
            }
            var rest = number
            var index = prefixLength + digits - 1
            while index >= prefixLength {
                buffer[index] = UInt8(truncatingIfNeeded: rest % 10) &+ UInt8(ascii: "0")
                rest /= 10
                index -= 1
            }
            return prefixLength + digits
        }
    }

    /// `ord-<index + 1>`.
    static func order(_ index: Int) -> String { make("ord-", index + 1) }
    /// `txn-<number>`.
    static func trade(_ number: Int) -> String { make("txn-", number) }
    /// `pos-<index + 1>`.
    static func position(_ index: Int) -> String { make("pos-", index + 1) }
}
