/// The name of a market session as it appears in payloads (`london`, `new_york`, `asia`) and
/// in the `session` query parameter.
///
/// A struct rather than an enum so a deployment can add a session (a futures or Sydney
/// session) without a code change; the seed's three names are the static members.
public struct SessionName: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The wire value, e.g. `new_york`.
    public let rawValue: String

    /// Wraps a wire value as is.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// The European session; also the value a setup carries when no session window contains
    /// its bar (the seed's implicit default).
    public static let london = SessionName(rawValue: "london")
    /// The American cash session.
    public static let newYork = SessionName(rawValue: "new_york")
    /// The Tokyo cash session.
    public static let asia = SessionName(rawValue: "asia")

    /// The seed's default session: `london`.
    public static let `default` = london

    public var description: String { rawValue }

    public static func < (lhs: SessionName, rhs: SessionName) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
