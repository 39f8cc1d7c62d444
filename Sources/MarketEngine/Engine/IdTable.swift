/// Dense indices of string ids (markets, operators) in order of insertion: an open-addressing
/// table probed linearly, hashing the id's UTF-8 a word at a time.
///
/// Every order looks up its market and operator, and `Dictionary<String, Int>` pays for a
/// SipHash setup and finalisation on each; ids here are short and come from trusted sources
/// (the market admin, authenticated operators), and the hash is still seeded per process.
struct IdTable: Sendable {
    /// The ids, by index.
    private(set) var ids: [String] = []
    /// Per slot: 0 when empty, else the upper half of the hash above `index + 1`.
    private var slots: [UInt64] = Array(repeating: 0, count: 16)

    /// Varies the hash between processes so no fixed set of ids collides everywhere.
    private static let processSeed = UInt64.random(in: .min ... .max)
    /// The process's seed, copied in so a lookup does not go through the lazy global's guard.
    private let seed = IdTable.processSeed

    /// Number of ids.
    var count: Int { ids.count }

    /// The index of `id`, if it was inserted.
    subscript(id: String) -> Int? {
        let hash = hash(id)
        let tag = hash >> 32
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { return nil }
            if entry >> 32 == tag {
                let index = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
                if ids[index] == id { return index }
            }
            slot = (slot + 1) & mask
        }
    }

    /// Appends `id`, which must not be present, and returns its index.
    mutating func insert(_ id: String) -> Int {
        let index = ids.count
        ids.append(id)
        if ids.count * 2 > slots.count {
            slots = Array(repeating: 0, count: slots.count * 2)
            for (existing, key) in ids.enumerated() { place(hash(key), index: existing) }
        } else {
            place(hash(id), index: index)
        }
        return index
    }

    private mutating func place(_ hash: UInt64, index: Int) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = (hash >> 32) << 32 | UInt64(index + 1)
    }

    /// A seeded 64-bit hash of the UTF-8 bytes: ids up to 16 bytes are read as two
    /// (overlapping) words, longer ones a word at a time, then mixed with the MurmurHash3
    /// finaliser.
    private func hash(_ id: String) -> UInt64 {
        if let hash = id.utf8.withContiguousStorageIfAvailable({ hash(UnsafeRawBufferPointer($0)) }) {
            return hash
        }
        return ContiguousArray(id.utf8).withUnsafeBytes { hash($0) }
    }

    private func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let count = bytes.count
        var hash = seed ^ (UInt64(count) &* 0x9E37_79B9_7F4A_7C15)
        var first: UInt64 = 0
        var last: UInt64 = 0
        if count >= 8 {
            var offset = 0
            while count - offset > 16 {
                hash = (hash ^ bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
                hash ^= hash >> 29
                offset += 8
            }
            first = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            last = bytes.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        } else if count >= 4 {
            first = UInt64(bytes.loadUnaligned(fromByteOffset: 0, as: UInt32.self))
            last = UInt64(bytes.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
        } else if count > 0 {
            first = UInt64(bytes[0]) << 16 | UInt64(bytes[count / 2]) << 8 | UInt64(bytes[count - 1])
        }
        hash = (hash ^ first) &* 0xBF58_476D_1CE4_E5B9
        hash ^= hash >> 29
        hash = (hash ^ last) &* 0x94D0_49BB_1331_11EB
        hash ^= hash >> 33
        hash &*= 0xFF51_AFD7_ED55_8CCD
        hash ^= hash >> 33
        hash &*= 0xC4CE_B9FE_1A85_EC53
        hash ^= hash >> 33
        return hash
    }
}
