#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

/// One generation of idempotency keys and the sequences they got, built so that no insert or
/// lookup ever touches more than a few entries, whatever the table holds.
///
/// A dictionary of strings is the obvious choice and the wrong one at these rates: each time
/// it doubles, it hashes every key again under the pipeline's lock (200-300 ms with a million
/// keys, seen in order-router's paced benchmark), and dropping it frees one string per key.
/// Here:
/// - slots (open addressing, linear probing, at most half full) keep each key's hash, so growing
///   never hashes again; the doubled table takes the old one's entries 16 slots per insert while
///   lookups read both, and the old table is freed once empty of work;
/// - slot tables come from `calloc`, whose large blocks are fresh zero pages: allocating a big
///   table costs nothing until its pages are touched;
/// - keys' bytes go into 1 MiB chunks, so dropping a generation frees a few large blocks;
/// - those blocks, and a table emptied by a doubling, are freed on a background queue: a table
///   of millions of slots takes milliseconds to give back, which the pipeline's lock need not
///   wait for.
final class IdempotencyKeyTable {
    /// `hash` 0: empty. `location`: chunk index in the high 32 bits, byte offset in the low 32.
    private struct Slot {
        var hash: UInt64
        var sequence: UInt64
        var location: UInt64
    }

    private struct Slots {
        let base: UnsafeMutablePointer<Slot>
        let capacity: Int
        var count = 0

        init(capacity: Int) {
            guard let raw = calloc(capacity, MemoryLayout<Slot>.stride) else {
                fatalError("idempotency keys: cannot allocate \(capacity) slots")
            }
            base = raw.bindMemory(to: Slot.self, capacity: capacity)
            self.capacity = capacity
        }

        /// Frees the slots on a background queue.
        func release() {
            let address = UInt(bitPattern: base)
            Self.releaseQueue.async { free(UnsafeMutableRawPointer(bitPattern: address)) }
        }

        static let releaseQueue = DispatchQueue(label: "pipeline.idempotency-keys.release", qos: .utility)
    }

    private static let chunkBytes = 1 << 20
    private static let migrationStep = 16
    private static let minimumCapacity = 1024

    private var slots: Slots
    /// The table being emptied into `slots` after a doubling, and how far that has gone.
    private var growing: (slots: Slots, migrated: Int)?
    /// Each key as a 4-byte length then its UTF-8 bytes.
    private var chunks: [[UInt8]] = []

    /// Keys held.
    private(set) var count = 0

    /// A table sized for about `expected` keys without doubling.
    init(expected: Int = 0) {
        var capacity = Self.minimumCapacity
        while capacity < expected * 2 { capacity *= 2 }
        slots = Slots(capacity: capacity)
    }

    deinit {
        slots.release()
        growing?.slots.release()
        var chunks: [[UInt8]] = []
        swap(&chunks, &self.chunks)
        Slots.releaseQueue.async { [chunks = consume chunks] in _ = chunks.count }
    }

    /// The sequence `key` got, if it is here.
    func sequence(for key: IdempotencyKey) -> UInt64? {
        if let found = find(key, in: slots) { return found }
        if let growing, let found = find(key, in: growing.slots) { return found }
        return nil
    }

    /// Adds `key` (not here yet) with `sequence`.
    func insert(_ key: IdempotencyKey, sequence: UInt64) {
        migrateSome()
        if growing == nil, (slots.count + 1) * 2 > slots.capacity {
            growing = (slots, 0)
            slots = Slots(capacity: slots.capacity * 2)
            migrateSome()
        }
        Self.place(Slot(hash: key.hash, sequence: sequence, location: store(key.text)), in: &slots)
        count += 1
    }

    private func migrateSome() {
        guard let (old, done) = growing else { return }
        var migrated = done
        let end = min(migrated + Self.migrationStep, old.capacity)
        while migrated < end {
            let slot = old.base[migrated]
            if slot.hash != 0 { Self.place(slot, in: &slots) }
            migrated += 1
        }
        if migrated == old.capacity {
            old.release()
            growing = nil
        } else {
            growing = (old, migrated)
        }
    }

    private static func place(_ slot: Slot, in table: inout Slots) {
        let mask = table.capacity - 1
        var index = Int(truncatingIfNeeded: slot.hash) & mask
        while table.base[index].hash != 0 { index = (index + 1) & mask }
        table.base[index] = slot
        table.count += 1
    }

    private func find(_ key: IdempotencyKey, in table: Slots) -> UInt64? {
        let mask = table.capacity - 1
        var index = Int(truncatingIfNeeded: key.hash) & mask
        while true {
            let slot = table.base[index]
            if slot.hash == 0 { return nil }
            if slot.hash == key.hash && matches(key.text, at: slot.location) { return slot.sequence }
            index = (index + 1) & mask
        }
    }

    private func store(_ text: String) -> UInt64 {
        var text = text
        return text.withUTF8 { bytes -> UInt64 in
            let needed = 4 + bytes.count
            if chunks.isEmpty || chunks[chunks.count - 1].count + needed > max(Self.chunkBytes, needed) {
                var chunk: [UInt8] = []
                chunk.reserveCapacity(max(Self.chunkBytes, needed))
                chunks.append(chunk)
            }
            let chunk = chunks.count - 1
            let offset = chunks[chunk].count
            withUnsafeBytes(of: UInt32(bytes.count).littleEndian) { chunks[chunk].append(contentsOf: $0) }
            chunks[chunk].append(contentsOf: bytes)
            return UInt64(chunk) << 32 | UInt64(offset)
        }
    }

    private func matches(_ text: String, at location: UInt64) -> Bool {
        var text = text
        let chunk = Int(location >> 32)
        let offset = Int(location & 0xFFFF_FFFF)
        return chunks[chunk].withUnsafeBytes { stored in
            let length = Int(UInt32(littleEndian: stored.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            return text.withUTF8 { bytes in
                guard bytes.count == length else { return false }
                guard length > 0, let start = bytes.baseAddress, let storedBase = stored.baseAddress else { return true }
                return memcmp(storedBase + offset + 4, start, length) == 0
            }
        }
    }
}
