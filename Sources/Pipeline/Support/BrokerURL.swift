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

    /// Parses `text`, accepting only the given schemes.
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
