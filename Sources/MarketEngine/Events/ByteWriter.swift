/// A growable byte buffer written through a raw pointer: JSON encoding appends hundreds of
/// tiny pieces per event, and `Array.append` pays a uniqueness and capacity check on each.
struct ByteWriter: ~Copyable {
    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Bytes written so far.
    private(set) var count = 0

    /// An empty buffer with room for `capacity` bytes.
    init(capacity: Int = 1024) {
        self.capacity = max(capacity, 64)
        self.storage = .allocate(capacity: self.capacity)
    }

    /// Frees the storage.
    deinit {
        storage.deallocate()
    }

    /// Makes room for `extra` more bytes.
    @inline(__always)
    mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(count + extra) }
    }

    private mutating func grow(_ needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newStorage = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newStorage.update(from: storage, count: count)
        storage.deallocate()
        storage = newStorage
        capacity = newCapacity
    }

    /// Appends one byte.
    @inline(__always)
    mutating func append(_ byte: UInt8) {
        reserve(1)
        storage[count] = byte
        count += 1
    }

    /// Appends a run of bytes.
    @inline(__always)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
        (storage + count).update(from: base, count: bytes.count)
        count += bytes.count
    }

    /// Appends a literal.
    @inline(__always)
    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { append($0) }
    }

    /// Appends the UTF-8 of `text` without escaping (enum raw values, ids known to be clean).
    mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    /// Appends the decimal digits of `value`.
    mutating func appendDigits(_ value: UInt64) {
        reserve(20)
        var digits = 1
        var probe = value
        while probe >= 10 {
            probe /= 10
            digits += 1
        }
        var rest = value
        var index = count + digits - 1
        while index >= count {
            storage[index] = UInt8(truncatingIfNeeded: rest % 10) &+ UInt8(ascii: "0")
            rest /= 10
            index -= 1
        }
        count += digits
    }

    /// Appends a decimal in canonical form (see ``FixedDecimal/write(into:)``).
    mutating func append(_ value: FixedDecimal) {
        reserve(28)
        if value.rawValue < 0 {
            storage[count] = UInt8(ascii: "-")
            count += 1
        }
        let magnitude = value.rawValue.magnitude
        appendDigits(magnitude / UInt64(FixedDecimal.scale))
        var fraction = magnitude % UInt64(FixedDecimal.scale)
        guard fraction != 0 else { return }
        var width = FixedDecimal.fractionDigits
        while fraction % 10 == 0 {
            fraction /= 10
            width -= 1
        }
        storage[count] = UInt8(ascii: ".")
        var index = count + width
        while index > count {
            storage[index] = UInt8(truncatingIfNeeded: fraction % 10) &+ UInt8(ascii: "0")
            fraction /= 10
            index -= 1
        }
        count += width + 1
    }

    /// Appends the written bytes to an array.
    func copy(into buffer: inout [UInt8]) {
        buffer.append(contentsOf: UnsafeBufferPointer(start: storage, count: count))
    }
}
