/// A parsed `STREAMING_REDIS_URL`: `redis://[:password@]host[:port][/db]`.
public struct RedisURL: Sendable, Equatable, CustomStringConvertible {
    /// The host name or address.
    public let host: String
    /// The TCP port (default 6379).
    public let port: Int
    /// The logical database (default 0).
    public let database: Int
    /// The `AUTH` user, if any.
    public let user: String?
    /// The `AUTH` password, if any (never printed).
    let password: String?

    /// `redis://127.0.0.1:6379/0`.
    public static let `default` = try! RedisURL("redis://127.0.0.1:6379/0")

    /// Parses the URL, throwing a reason that names what is wrong.
    public init(_ text: String) throws(BrokerURLError) {
        let url: BrokerURL
        do {
            url = try BrokerURL(text, schemes: ["redis"])
        } catch {
            throw .malformed(error.reason)
        }
        var database = 0
        if !url.path.isEmpty {
            guard let value = Int(url.path), value >= 0 else {
                throw .malformed("'\(text)' has an invalid database '\(url.path)'")
            }
            database = value
        }
        self.host = url.host
        self.port = url.port ?? 6379
        self.database = database
        self.user = url.user
        self.password = url.password
    }

    public var description: String { "redis://\(host):\(port)/\(database)" }
}
