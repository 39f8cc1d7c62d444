/// One dependency `/readyz` asks about (the pipeline, the entitlements service, a database).
public struct ReadinessCheck: Sendable {
    /// Shown in the `/readyz` body.
    public var name: String
    /// True when the dependency can serve now. Must answer quickly (it runs per probe).
    public var isReady: @Sendable () async -> Bool

    public init(name: String, isReady: @escaping @Sendable () async -> Bool) {
        self.name = name
        self.isReady = isReady
    }
}
