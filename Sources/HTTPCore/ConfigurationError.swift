/// A configuration problem found at start-up. The message names the variable.
public struct ConfigurationError: Error, Equatable, CustomStringConvertible {
    private enum Kind: Equatable {
        case missing(String)
        case invalid(String, String)
    }

    private let kind: Kind

    /// A required variable is unset or empty.
    public static func missing(_ variable: String) -> ConfigurationError { .init(kind: .missing(variable)) }
    /// A variable is set to a value the service cannot use.
    public static func invalid(_ variable: String, _ reason: String) -> ConfigurationError { .init(kind: .invalid(variable, reason)) }

    /// The variable at fault.
    public var variable: String {
        switch kind {
        case .missing(let name), .invalid(let name, _): name
        }
    }

    public var description: String {
        switch kind {
        case .missing(let name): "missing required environment variable \(name)"
        case .invalid(let name, let reason): "invalid environment variable \(name): \(reason)"
        }
    }
}
