import Foundation

/// The parts of a `scheme://[user[:password]@]host[:port][/path]` URL that broker clients need.
struct BrokerURL: Sendable, Equatable {
    /// Why a URL was refused, phrased for an operator.
    struct Malformed: Error {
        let reason: String
    }

    let scheme: String
    let user: String?
    let password: String?
    let host: String
    let port: Int?
    let path: String

    init(_ text: String, schemes: Set<String>) throws(Malformed) {
        guard let schemeEnd = text.range(of: "://") else {
            throw Malformed(reason: "'\(text)' is not a URL like \(schemes.sorted()[0])://host:port")
        }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        guard schemes.contains(scheme) else {
            throw Malformed(reason: "'\(text)' has scheme '\(scheme)', expected \(schemes.sorted().joined(separator: " or "))")
        }
        var rest = text[schemeEnd.upperBound...]
        var path = ""
        if let slash = rest.firstIndex(of: "/") {
            path = String(rest[rest.index(after: slash)...])
            rest = rest[..<slash]
        }
        var user: String?
        var password: String?
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                user = String(credentials[..<colon])
                password = String(credentials[credentials.index(after: colon)...])
            } else {
                user = String(credentials)
            }
        }
        var host = String(rest)
        var port: Int?
        if let colon = rest.lastIndex(of: ":"), !rest.hasPrefix("[") || rest[..<colon].hasSuffix("]") {
            host = String(rest[..<colon])
            let portText = rest[rest.index(after: colon)...]
            guard let value = Int(portText), (1...65_535).contains(value) else {
                throw Malformed(reason: "'\(text)' has an invalid port '\(portText)'")
            }
            port = value
        }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, !host.contains(where: { $0 == " " || $0 == "/" || $0 == "?" || $0 == "#" }) else {
            throw Malformed(reason: "'\(text)' has no valid host")
        }
        self.scheme = scheme
        self.user = user.flatMap { $0.isEmpty ? nil : $0 }
        self.password = password.flatMap { $0.isEmpty ? nil : $0 }
        self.host = host
        self.port = port
        self.path = path
    }
}

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
            throw BrokerURLError(reason: error.reason)
        }
        var database = 0
        if !url.path.isEmpty {
            guard let value = Int(url.path), value >= 0 else {
                throw BrokerURLError(reason: "'\(text)' has an invalid database '\(url.path)'")
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

/// Why a broker URL was refused.
public struct BrokerURLError: Error, CustomStringConvertible {
    /// What is wrong, naming the URL.
    public let reason: String
    public var description: String { reason }
}

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
            throw BrokerURLError(reason: error.reason)
        }
        guard url.path.isEmpty else { throw BrokerURLError(reason: "'\(text)' must not have a path") }
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
