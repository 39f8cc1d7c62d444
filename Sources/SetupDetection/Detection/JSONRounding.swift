/// How numbers are rounded on the wire: 6 decimal places, enough for FX pips and crypto
/// ticks, short enough that 0.1 + 0.2 is written `0.3`.
public enum JSONRounding {
    /// Decimal places kept.
    public static let decimals = 6
    private static let scale = 1_000_000.0

    /// `value` rounded half away from zero to ``decimals`` places.
    public static func round(_ value: Double) -> Double {
        guard value.isFinite, abs(value) < 1e12 else { return value }
        return (value * scale).rounded() / scale
    }
}
