/// A growable byte buffer written through a raw pointer: JSON encoding appends hundreds of
/// tiny pieces per event, and `Array.append` pays a uniqueness and capacity check on each.
///
/// It starts either in memory it owns or in a caller's scratch buffer (the encoder passes a
/// stack allocation, so most events allocate nothing) and moves to the heap if that fills up.
struct ByteWriter: ~Copyable {
    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// False while writing into the caller's scratch buffer.
    private var owned: Bool
    /// Bytes written so far.
    private(set) var count = 0

    /// An empty buffer with room for `capacity` bytes.
    init(capacity: Int = 1024) {
        self.capacity = max(capacity, 64)
        self.storage = .allocate(capacity: self.capacity)
        self.owned = true
    }

    /// An empty buffer writing into `scratch` (at least 64 bytes), which must outlive it.
    init(scratch: UnsafeMutableBufferPointer<UInt8>) {
        precondition(scratch.count >= 64, "scratch buffer too small")
        self.storage = scratch.baseAddress!
        self.capacity = scratch.count
        self.owned = false
    }

    /// Frees the storage it allocated.
    deinit {
        if owned { storage.deallocate() }
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
        if owned { storage.deallocate() }
        storage = newStorage
        capacity = newCapacity
        owned = true
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
        Self.copy(base, count: bytes.count, to: storage + count)
        count += bytes.count
    }

    /// Copies `count` bytes (room reserved): runs up to 16 bytes, nearly all of them, as two
    /// possibly overlapping loads and stores instead of a `memmove` call or a byte loop.
    @inline(__always)
    private static func copy(_ source: UnsafePointer<UInt8>, count: Int, to target: UnsafeMutablePointer<UInt8>) {
        let from = UnsafeRawPointer(source)
        let to = UnsafeMutableRawPointer(target)
        if count >= 8 && count <= 16 {
            let head = from.loadUnaligned(as: UInt64.self)
            let tail = from.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
            to.storeBytes(of: head, as: UInt64.self)
            to.storeBytes(of: tail, toByteOffset: count - 8, as: UInt64.self)
        } else if count >= 4 && count < 8 {
            let head = from.loadUnaligned(as: UInt32.self)
            let tail = from.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
            to.storeBytes(of: head, as: UInt32.self)
            to.storeBytes(of: tail, toByteOffset: count - 4, as: UInt32.self)
        } else if count < 4 {
            for index in 0..<count { target[index] = source[index] }
        } else {
            target.update(from: source, count: count)
        }
    }

    /// Appends a literal.
    @inline(__always)
    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { append($0) }
    }

    /// Appends `"name":`, preceded by a comma unless it is an object's first key.
    @inline(__always)
    mutating func appendKey(_ name: StaticString, comma: Bool) {
        name.withUTF8Buffer { bytes in
            reserve(bytes.count + 4)
            if comma {
                storage[count] = UInt8(ascii: ",")
                count += 1
            }
            storage[count] = UInt8(ascii: "\"")
            if let base = bytes.baseAddress { Self.copy(base, count: bytes.count, to: storage + count + 1) }
            storage[count + 1 + bytes.count] = UInt8(ascii: "\"")
            storage[count + 2 + bytes.count] = UInt8(ascii: ":")
            count += bytes.count + 3
        }
    }

    /// Appends `bytes` in quotes if none needs escaping in JSON (a quote, a backslash or a
    /// control character); returns false, having written nothing, otherwise.
    @inline(__always)
    mutating func appendQuotedIfClean(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else {
            append(UInt8(ascii: "\""))
            append(UInt8(ascii: "\""))
            return true
        }
        let raw = UnsafeRawPointer(base)
        var offset = 0
        // Eight bytes at a time: a byte below 0x20, a quote or a backslash sets a high bit.
        while offset + 8 <= bytes.count {
            let word = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            if Self.needsEscape(word) { return false }
            offset += 8
        }
        while offset < bytes.count {
            let byte = base[offset]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return false }
            offset += 1
        }
        reserve(bytes.count + 2)
        storage[count] = UInt8(ascii: "\"")
        Self.copy(base, count: bytes.count, to: storage + count + 1)
        storage[count + 1 + bytes.count] = UInt8(ascii: "\"")
        count += bytes.count + 2
        return true
    }

    /// True when a byte of `word` is below 0x20, a quote or a backslash (exact: the
    /// "has zero byte" and "has byte less than" bit tricks have no false positives as a whole).
    @inline(__always)
    private static func needsEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let control = (word &- ones &* 0x20) & ~word & highs
        let quote = word ^ (ones &* UInt64(UInt8(ascii: "\"")))
        let backslash = word ^ (ones &* UInt64(UInt8(ascii: "\\")))
        let zeroQuote = (quote &- ones) & ~quote & highs
        let zeroBackslash = (backslash &- ones) & ~backslash & highs
        return (control | zeroQuote | zeroBackslash) != 0
    }

    /// Appends the UTF-8 of `text` without escaping (enum raw values, ids known to be clean).
    mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    /// Two ASCII digits per value below 100, for writing numbers two digits at a time.
    private static let digitPairs: StaticString = """
        00010203040506070809101112131415161718192021222324252627282930313233343536373839\
        40414243444546474849505152535455565758596061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899
        """

    /// Writes the two digits of `pair` (below 100) at `index`.
    @inline(__always)
    private func writePair(_ pair: Int, at index: Int) {
        let digits = Self.digitPairs.utf8Start
        storage[index] = digits[2 * pair]
        storage[index + 1] = digits[2 * pair + 1]
    }

    /// Appends the decimal digits of `value`.
    mutating func appendDigits(_ value: UInt64) {
        reserve(20)
        if value < 10 {
            storage[count] = UInt8(truncatingIfNeeded: value) &+ UInt8(ascii: "0")
            count += 1
            return
        }
        var digits = 2
        var threshold: UInt64 = 100
        while value >= threshold && digits < 20 {
            digits += 1
            if digits < 20 { threshold &*= 10 }
        }
        var rest = value
        var index = count + digits
        while rest >= 100 {
            index -= 2
            writePair(Int(truncatingIfNeeded: rest % 100), at: index)
            rest /= 100
        }
        if rest >= 10 {
            writePair(Int(truncatingIfNeeded: rest), at: index - 2)
        } else {
            storage[index - 1] = UInt8(truncatingIfNeeded: rest) &+ UInt8(ascii: "0")
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
        let fraction = Int(truncatingIfNeeded: magnitude % UInt64(FixedDecimal.scale))
        guard fraction != 0 else { return }
        // All six fractional digits, then the trailing zeros dropped (fraction is not zero).
        storage[count] = UInt8(ascii: ".")
        writePair(fraction / 10_000, at: count + 1)
        writePair(fraction / 100 % 100, at: count + 3)
        writePair(fraction % 100, at: count + 5)
        var width = FixedDecimal.fractionDigits
        while storage[count + width] == UInt8(ascii: "0") { width -= 1 }
        count += width + 1
    }

    /// Appends the written bytes to an array.
    func copy(into buffer: inout [UInt8]) {
        buffer.append(contentsOf: UnsafeBufferPointer(start: storage, count: count))
    }
}
