#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads typed configuration from environment variables, in one place per service.
///
/// Every service documents the keys it reads in `docs/configuration.md`. A missing *required*
/// secret throws ``ConfigurationError`` naming the variable, so a service never silently runs
/// open.
public struct EnvironmentReader: Sendable {
    /// The variables this reader sees.
    public let values: [String: String]

    /// Reads the process environment.
    public init() {
        var values: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                values[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        self.values = values
    }

    /// Reads from a fixed dictionary (tests, embedded use).
    public init(_ values: [String: String]) {
        self.values = values
    }

    /// The value of `key`, or nil when unset or empty.
    public func string(_ key: String) -> String? {
        guard let value = values[key], !value.isEmpty else { return nil }
        return value
    }

    /// The value of `key`, or `defaultValue` when unset or empty.
    public func string(_ key: String, default defaultValue: String) -> String {
        string(key) ?? defaultValue
    }

    /// A required secret: throws naming the variable when it is unset or empty.
    public func requiredSecret(_ key: String) throws(ConfigurationError) -> String {
        guard let value = string(key) else { throw .missing(key) }
        return value
    }

    /// An integer, `defaultValue` when unset; throws when set but not an integer in `range`.
    public func int(_ key: String, default defaultValue: Int, range: ClosedRange<Int> = Int.min...Int.max) throws(ConfigurationError) -> Int {
        guard let text = string(key) else { return defaultValue }
        guard let value = Int(text), range.contains(value) else {
            throw .invalid(key, "expected an integer in \(range.lowerBound)...\(range.upperBound), got '\(text)'")
        }
        return value
    }

    /// A boolean (`1`, `true`, `yes`, `on` / `0`, `false`, `no`, `off`), `defaultValue` when unset.
    public func bool(_ key: String, default defaultValue: Bool) throws(ConfigurationError) -> Bool {
        guard let text = string(key)?.lowercased() else { return defaultValue }
        switch text {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw .invalid(key, "expected 1/0/true/false, got '\(text)'")
        }
    }

    /// A comma-separated list, empty when unset.
    public func list(_ key: String) -> [String] {
        guard let text = string(key) else { return [] }
        return text.split(separator: ",").map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
    }
}

extension Substring {
    func trimmingSpaces() -> String {
        var view = self[...]
        while view.first?.isWhitespace == true { view = view.dropFirst() }
        while view.last?.isWhitespace == true { view = view.dropLast() }
        return String(view)
    }
}
