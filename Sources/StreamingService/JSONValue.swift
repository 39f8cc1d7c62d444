import Foundation

/// Reading values out of `JSONSerialization` objects, where booleans and numbers are both
/// `NSNumber` (on Linux `NSNumber(1) is Bool` is true, so type tests alone cannot tell).
enum JSONValue {
    /// Whether `value` is a JSON `true`/`false`.
    static func isBoolean(_ value: Any) -> Bool {
        String(describing: type(of: value)).contains("Boolean") || type(of: value) == Bool.self
    }

    /// A JSON integer (not a boolean, not a fraction), or nil.
    static func integer(_ value: Any) -> Int? {
        guard !isBoolean(value), let number = value as? NSNumber else { return nil }
        let double = number.doubleValue
        guard double == double.rounded(), abs(double) < 9e15 else { return nil }
        return number.intValue
    }
}
