/// An exact decimal number with six fractional digits, stored as a count of millionths in an
/// `Int64`.
///
/// Prices, shares, costs and PnL must add up exactly (a `Double` would print 0.66500000001 and
/// drift over millions of fills), and Foundation's `Decimal` is too slow for the matching loop.
/// One millionth (`0.000001`) is the smallest step; the range is ±9,223,372,036,854.775807.
/// Parsing refuses more than six significant fractional digits and values out of range
/// (``EngineError/invalidDecimal`` and ``EngineError/decimalOutOfRange``): nothing is silently
/// rounded on the way in. Only products and quotients computed by the engine (cost = price ×
/// shares, average price = cost ÷ shares) round, half to even, to the sixth digit.
public struct FixedDecimal: Hashable, Comparable, Sendable {
    /// Number of fractional digits kept.
    public static let fractionDigits = 6
    /// Millionths per unit: the raw value of `1`.
    public static let scale: Int64 = 1_000_000

    /// The value in millionths (`0.65` is `650_000`).
    public var rawValue: Int64

    /// Wraps a count of millionths.
    @inlinable
    public init(rawValue: Int64) {
        self.rawValue = rawValue
    }

    /// A whole number of units; `nil` when it does not fit.
    public init?(units: Int64) {
        let (value, overflow) = units.multipliedReportingOverflow(by: Self.scale)
        guard !overflow else { return nil }
        self.rawValue = value
    }

    /// Zero.
    public static let zero = FixedDecimal(rawValue: 0)
    /// One: what a winning share pays at resolution.
    public static let one = FixedDecimal(rawValue: scale)

    /// True when the value is exactly zero.
    @inlinable public var isZero: Bool { rawValue == 0 }

    @inlinable
    public static func < (lhs: FixedDecimal, rhs: FixedDecimal) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}

// MARK: Arithmetic

extension FixedDecimal {
    /// The sum, or ``EngineError/decimalOutOfRange`` when it does not fit.
    public func adding(_ other: FixedDecimal) throws(EngineError) -> FixedDecimal {
        let (value, overflow) = rawValue.addingReportingOverflow(other.rawValue)
        guard !overflow else { throw .decimalOutOfRange }
        return FixedDecimal(rawValue: value)
    }

    /// The difference, or ``EngineError/decimalOutOfRange`` when it does not fit.
    public func subtracting(_ other: FixedDecimal) throws(EngineError) -> FixedDecimal {
        let (value, overflow) = rawValue.subtractingReportingOverflow(other.rawValue)
        guard !overflow else { throw .decimalOutOfRange }
        return FixedDecimal(rawValue: value)
    }

    /// The product rounded half to even to six digits, or ``EngineError/decimalOutOfRange``.
    public func multiplied(by other: FixedDecimal) throws(EngineError) -> FixedDecimal {
        let exact = Int128(rawValue) * Int128(other.rawValue)
        guard let value = Self.roundedQuotient(exact, Int128(Self.scale)) else { throw .decimalOutOfRange }
        return FixedDecimal(rawValue: value)
    }

    /// The quotient rounded half to even to six digits; ``EngineError/decimalOutOfRange`` when
    /// it does not fit or the divisor is zero.
    public func divided(by other: FixedDecimal) throws(EngineError) -> FixedDecimal {
        guard other.rawValue != 0 else { throw .decimalOutOfRange }
        let exact = Int128(rawValue) * Int128(Self.scale)
        guard let value = Self.roundedQuotient(exact, Int128(other.rawValue)) else { throw .decimalOutOfRange }
        return FixedDecimal(rawValue: value)
    }

    /// The absolute value (`Int64.min` millionths cannot be parsed, so this never overflows
    /// for values the engine holds).
    @inlinable public var magnitude: FixedDecimal { FixedDecimal(rawValue: rawValue < 0 ? 0 &- rawValue : rawValue) }

    /// `numerator / denominator` rounded half to even; `nil` when it leaves `Int64`.
    @usableFromInline
    static func roundedQuotient(_ numerator: Int128, _ denominator: Int128) -> Int64? {
        // The engine's operands nearly always fit 64 bits, where division is one instruction
        // instead of a 128-bit library call; the rounding is the same.
        if denominator > 0, denominator <= Int128(Int64.max), let narrow = Int64(exactly: numerator) {
            return roundedQuotient(narrow, Int64(denominator))
        }
        var quotient = numerator / denominator
        let remainder = numerator % denominator
        if remainder != 0 {
            let twice = remainder.magnitude * 2
            let divisor = denominator.magnitude
            let negative = (numerator < 0) != (denominator < 0)
            if twice > divisor || (twice == divisor && quotient % 2 != 0) {
                quotient += negative ? -1 : 1
            }
        }
        guard quotient >= Int128(Int64.min + 1), quotient <= Int128(Int64.max) else { return nil }
        return Int64(quotient)
    }

    /// `numerator / denominator` (denominator > 0) rounded half to even; `nil` for `Int64.min`.
    @usableFromInline
    static func roundedQuotient(_ numerator: Int64, _ denominator: Int64) -> Int64? {
        var quotient = numerator / denominator
        let remainder = numerator % denominator
        if remainder != 0 {
            let twice = remainder.magnitude * 2
            if twice > denominator.magnitude || (twice == denominator.magnitude && quotient % 2 != 0) {
                quotient += numerator < 0 ? -1 : 1
            }
        }
        return quotient == .min ? nil : quotient
    }

    /// Exact product of millionths used by the engine where both factors are bounded (a price
    /// below 1 times a share count below the position limit): rounded half to even.
    @inlinable
    static func product(_ price: Int64, _ shares: Int64) -> Int64 {
        // |price| < 10^6 and |shares| <= 10^18 so the 128-bit product cannot overflow and the
        // quotient fits Int64.
        let (narrow, overflow) = price.multipliedReportingOverflow(by: shares)
        if !overflow { return roundedQuotient(narrow, scale) ?? 0 }
        return roundedQuotient(Int128(price) * Int128(shares), Int128(scale)) ?? 0
    }
}
