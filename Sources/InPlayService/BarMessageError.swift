/// Why a bar message was refused: malformed JSON (HTTP 400) or values that are not a bar
/// (HTTP 422).
public struct BarMessageError: Error, Equatable, CustomStringConvertible {
    private enum Kind: Equatable {
        case malformed(String)
        case invalid(String)
    }

    private let kind: Kind

    /// Not JSON, or not the bar shape (a missing or mistyped field).
    public static func malformed(_ reason: String) -> BarMessageError { .init(kind: .malformed(reason)) }
    /// The shape is right but the values are not a consistent bar.
    public static func invalid(_ reason: String) -> BarMessageError { .init(kind: .invalid(reason)) }

    /// True for a shape problem (400), false for a value problem (422).
    public var isMalformed: Bool {
        if case .malformed = kind { return true }
        return false
    }

    /// The reason, without a prefix.
    public var reason: String {
        switch kind {
        case .malformed(let reason), .invalid(let reason): reason
        }
    }

    public var description: String {
        switch kind {
        case .malformed(let reason): "malformed bar: \(reason)"
        case .invalid(let reason): "invalid bar: \(reason)"
        }
    }
}
