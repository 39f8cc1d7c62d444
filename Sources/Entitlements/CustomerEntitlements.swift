/// What one customer may do: capabilities (`can.stream`, `can.stream_public`) and numeric
/// limits (`limit.stream_overlays`, `limit.stream_bitrate`).
public struct CustomerEntitlements: Sendable, Equatable, Codable {
    /// Granted capabilities.
    public var capabilities: Set<String>
    /// Numeric limits by name; a missing limit means the service's default applies.
    public var limits: [String: Int]

    public init(capabilities: Set<String>, limits: [String: Int] = [:]) {
        self.capabilities = capabilities
        self.limits = limits
    }

    /// Whether `capability` is granted.
    public func allows(_ capability: String) -> Bool {
        capabilities.contains(capability)
    }

    /// The value of a limit, or nil when the plan sets none.
    public func limit(_ name: String) -> Int? {
        limits[name]
    }

    /// Everything granted, no limits (the bypass provider's answer).
    public static let unrestricted = CustomerEntitlements(
        capabilities: [Capability.stream, Capability.streamPublic],
        limits: [:]
    )
}
