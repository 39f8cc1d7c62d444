@testable import Pipeline
import Testing

/// The memory adapter's store of idempotency keys: every key stays findable with its sequence
/// while the table doubles and moves its entries a few per insert, and nothing else is found.
@Suite("IdempotencyKeyTable")
struct IdempotencyKeyTableTests {
    @Test("keys inserted across several doublings are all found, mid-move and after")
    func growthKeepsEveryKey() {
        let table = IdempotencyKeyTable()
        let count = 50_000  // from 1024 slots: seven doublings, several of them mid-move
        for index in 0..<count {
            table.insert(IdempotencyKey("or-1763798400000-\(index)-0"), sequence: UInt64(index + 1))
            // Spot checks while entries are still moving to the doubled table.
            if index % 997 == 0 {
                for earlier in stride(from: 0, through: index, by: 131) {
                    #expect(table.sequence(for: IdempotencyKey("or-1763798400000-\(earlier)-0")) == UInt64(earlier + 1))
                }
            }
        }
        #expect(table.count == count)
        var missing = 0
        for index in 0..<count where table.sequence(for: IdempotencyKey("or-1763798400000-\(index)-0")) != UInt64(index + 1) {
            missing += 1
        }
        #expect(missing == 0)
        for index in count..<(count + 1000) {
            #expect(table.sequence(for: IdempotencyKey("or-1763798400000-\(index)-0")) == nil)
        }
    }

    @Test("keys that share a prefix, an empty key, a key larger than a chunk and non-ASCII keys")
    func unusualKeys() {
        let table = IdempotencyKeyTable()
        let large = String(repeating: "k", count: (1 << 20) + 17)
        let keys = ["", "a", "ab", "abc", large, large + "x", "clé-été-🙂", "clé-été-🙂 "]
        for (index, key) in keys.enumerated() {
            #expect(table.sequence(for: IdempotencyKey(key)) == nil)
            table.insert(IdempotencyKey(key), sequence: UInt64(100 + index))
        }
        for (index, key) in keys.enumerated() {
            #expect(table.sequence(for: IdempotencyKey(key)) == UInt64(100 + index), "\(key.prefix(12))")
        }
        #expect(table.sequence(for: IdempotencyKey(String(large.dropLast()))) == nil)
        #expect(table.sequence(for: IdempotencyKey("abcd")) == nil)
        // Keys are compared as bytes, as Redis and NATS compare them: "é" as one scalar and as
        // "e" with a combining accent are two keys (Swift's String == would call them equal).
        table.insert(IdempotencyKey("caf\u{E9}"), sequence: 7)
        #expect(table.sequence(for: IdempotencyKey("caf\u{E9}")) == 7)
        #expect(table.sequence(for: IdempotencyKey("cafe\u{301}")) == nil)
    }

    @Test("a table sized for the last generation holds as many keys without doubling, and finds them")
    func presized() {
        let table = IdempotencyKeyTable(expected: 10_000)
        for index in 0..<10_000 { table.insert(IdempotencyKey("k-\(index)"), sequence: UInt64(index)) }
        #expect((0..<10_000).allSatisfy { table.sequence(for: IdempotencyKey("k-\($0)")) == UInt64($0) })
    }
}
