// MARK: Parsing and canonical text

extension FixedDecimal {
    /// Parses decimal text: `"150"`, `"0.65"`, `"-1.5"`, `"1e-2"`, `".5"`.
    ///
    /// Accepts what a JSON number allows (sign, digits, fraction, exponent) plus a leading `+`
    /// and a missing integer part. Refuses more than six significant fractional digits
    /// (``EngineError/invalidDecimal``) and values out of range (``EngineError/decimalOutOfRange``).
    public init(_ text: String) throws(EngineError) {
        var text = text
        var result: Result<FixedDecimal, EngineError> = .failure(.invalidDecimal)
        text.withUTF8 { bytes in
            result = Result { () throws(EngineError) in try FixedDecimal.parse(bytes) }
        }
        self = try result.get()
    }

    /// Parses the UTF-8 bytes of a decimal or JSON number; see ``init(_:)``.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(EngineError) -> FixedDecimal {
        var index = 0
        let count = bytes.count
        var negative = false
        if index < count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        // Digits are collected as an integer mantissa with a decimal exponent; leading zeros
        // and trailing zeros cost nothing so "0.6500000" is accepted.
        var mantissa: Int128 = 0
        var exponent = 0
        var digits = 0
        var sawPoint = false
        var sawDigit = false
        let limit: Int128 = Int128(1) << 100
        while index < count {
            let byte = bytes[index]
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                sawDigit = true
                let digit = Int128(byte &- UInt8(ascii: "0"))
                if mantissa < limit {
                    mantissa = mantissa * 10 + digit
                    if sawPoint { exponent -= 1 }
                } else {
                    // Too many digits to matter unless they are fractional zeros.
                    if !sawPoint { exponent += 1 } else if digit != 0 { throw .invalidDecimal }
                }
                digits += 1
            } else if byte == UInt8(ascii: ".") && !sawPoint {
                sawPoint = true
            } else {
                break
            }
            index += 1
        }
        guard sawDigit, digits <= 400 else { throw .invalidDecimal }
        if index < count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            var exponentNegative = false
            if index < count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            var written = 0
            var sawExponentDigit = false
            while index < count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                sawExponentDigit = true
                if written < 10_000 { written = written * 10 + Int(bytes[index] &- UInt8(ascii: "0")) }
                index += 1
            }
            guard sawExponentDigit else { throw .invalidDecimal }
            exponent += exponentNegative ? -written : written
        }
        guard index == count else { throw .invalidDecimal }
        // Bring the mantissa to millionths: exponent + 6 decimal places to shift.
        var shift = exponent + FixedDecimal.fractionDigits
        if mantissa == 0 { return .zero }
        while shift < 0 {
            let (quotient, remainder) = mantissa.quotientAndRemainder(dividingBy: 10)
            guard remainder == 0 else { throw .invalidDecimal }
            mantissa = quotient
            shift += 1
        }
        while shift > 0 {
            mantissa *= 10
            shift -= 1
            guard mantissa <= Int128(Int64.max) else { throw .decimalOutOfRange }
        }
        guard mantissa <= Int128(Int64.max) else { throw .decimalOutOfRange }
        let raw = Int64(mantissa)
        return FixedDecimal(rawValue: negative ? -raw : raw)
    }

    /// Appends the canonical text: no exponent, no trailing fractional zeros, no `.` for whole
    /// numbers (`150`, `0.62`, `-0.000001`).
    @inlinable
    public func write(into buffer: inout [UInt8]) {
        // Built right to left in a stack buffer, appended once: per-byte appends cost more
        // than the digits.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { scratch in
            var position = 32
            let magnitude = rawValue.magnitude
            var whole = magnitude / UInt64(Self.scale)
            var fraction = magnitude % UInt64(Self.scale)
            if fraction != 0 {
                var width = Self.fractionDigits
                while fraction % 10 == 0 {
                    fraction /= 10
                    width -= 1
                }
                for _ in 0..<width {
                    position -= 1
                    scratch[position] = UInt8(truncatingIfNeeded: fraction % 10) &+ UInt8(ascii: "0")
                    fraction /= 10
                }
                position -= 1
                scratch[position] = UInt8(ascii: ".")
            }
            repeat {
                position -= 1
                scratch[position] = UInt8(truncatingIfNeeded: whole % 10) &+ UInt8(ascii: "0")
                whole /= 10
            } while whole > 0
            if rawValue < 0 {
                position -= 1
                scratch[position] = UInt8(ascii: "-")
            }
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[position..<32]))
        }
    }
}

extension FixedDecimal: CustomStringConvertible {
    /// The canonical text (see ``write(into:)``).
    public var description: String {
        var buffer = [UInt8]()
        buffer.reserveCapacity(24)
        write(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}

extension FixedDecimal: ExpressibleByStringLiteral {
    /// A literal such as `"0.65"`; traps on malformed literals, which are programmer errors.
    public init(stringLiteral value: String) {
        do {
            self = try FixedDecimal(value)
        } catch {
            preconditionFailure("invalid FixedDecimal literal \(value): \(error)")
        }
    }
}

extension FixedDecimal: ExpressibleByIntegerLiteral {
    /// A whole-number literal such as `150`.
    public init(integerLiteral value: Int64) {
        guard let decimal = FixedDecimal(units: value) else {
            preconditionFailure("FixedDecimal literal \(value) out of range")
        }
        self = decimal
    }
}
