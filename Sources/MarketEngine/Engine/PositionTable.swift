/// Position index by book and operator: an open-addressing table over the pair packed in one
/// integer. Both are dense indices the engine assigned, so a multiplicative hash spreads them
/// and no caller chooses the keys.
struct PositionTable: Sendable {
    /// Packed keys per slot, `empty` when free.
    private var keys: [UInt64] = Array(repeating: PositionTable.empty, count: 64)
    /// Position index per slot.
    private var values: [Int32] = Array(repeating: 0, count: 64)
    /// Entries stored.
    private(set) var count = 0

    private static let empty = UInt64.max

    /// The position of `operatorIndex` in `book`, if it has one.
    subscript(book book: Int, operatorIndex operatorIndex: Int) -> Int? {
        let key = Self.key(book, operatorIndex)
        let mask = keys.count - 1
        var slot = Self.slot(key, mask)
        while true {
            let stored = keys[slot]
            if stored == key { return Int(values[slot]) }
            if stored == Self.empty { return nil }
            slot = (slot + 1) & mask
        }
    }

    /// Records a new position, which must not be present.
    mutating func insert(book: Int, operatorIndex: Int, position: Int) {
        count += 1
        if count * 2 > keys.count {
            let oldKeys = keys
            let oldValues = values
            keys = Array(repeating: Self.empty, count: oldKeys.count * 2)
            values = Array(repeating: 0, count: oldKeys.count * 2)
            for slot in oldKeys.indices where oldKeys[slot] != Self.empty {
                place(oldKeys[slot], Int(oldValues[slot]))
            }
        }
        place(Self.key(book, operatorIndex), position)
    }

    private mutating func place(_ key: UInt64, _ position: Int) {
        let mask = keys.count - 1
        var slot = Self.slot(key, mask)
        while keys[slot] != Self.empty { slot = (slot + 1) & mask }
        keys[slot] = key
        values[slot] = Int32(truncatingIfNeeded: position)
    }

    private static func key(_ book: Int, _ operatorIndex: Int) -> UInt64 {
        UInt64(truncatingIfNeeded: book) << 32 | UInt64(truncatingIfNeeded: operatorIndex) & 0xFFFF_FFFF
    }

    private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        let mixed = (key ^ key >> 29) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: mixed >> 32) & mask
    }
}
