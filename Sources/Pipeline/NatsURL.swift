/// A parsed `STREAMING_NATS_URL`: `nats://[user:password@]host[:port]`.
public struct NatsURL: Sendable, Equatable, CustomStringConvertible {
    /// The host name or address.
    public let host: String
    /// The TCP port (default 4222).
    public let port: Int
    /// The URL given to nats.c, credentials included.
    let connectURL: String

    /// `nats://127.0.0.1:4222`.
    public static let `default` = try! NatsURL("nats://127.0.0.1:4222")

    /// Parses the URL, throwing a reason that names what is wrong.
    public init(_ text: String) throws(BrokerURLError) {
        let url: BrokerURL
        do {
            url = try BrokerURL(text, schemes: ["nats"])
        } catch {
            throw .malformed(error.reason)
        }
        guard url.path.isEmpty else { throw .malformed("'\(text)' must not have a path") }
        self.host = url.host
        self.port = url.port ?? 4222
        var credentials = ""
        if let user = url.user {
            credentials = user + (url.password.map { ":" + $0 } ?? "") + "@"
        }
        self.connectURL = "nats://\(credentials)\(url.host.contains(":") ? "[\(url.host)]" : url.host):\(self.port)"
    }

    public var description: String { "nats://\(host):\(port)" }
}
