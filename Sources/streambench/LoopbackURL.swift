/// A `scheme://host[:port]/path` URL as the raw clients use it: where to connect, and what
/// goes in the request line and the `Host` header.
struct LoopbackURL {
    let host: String
    /// The port, 80 when the URL has none.
    let port: UInt16
    /// `host[:port]` as written (the `Host` header).
    let authority: String
    /// Path and query; `/` when the URL has none.
    let path: String

    /// Reads `url`, which must start with `scheme://`; `role` names the URL in the refusal
    /// ("ingest " for "only http:// ingest URLs are supported").
    init(_ url: String, scheme: String, role: String = "") throws {
        guard url.hasPrefix(scheme + "://") else { throw OptionError("only \(scheme):// \(role)URLs are supported: \(url)") }
        let rest = url.dropFirst(scheme.count + 3)
        authority = String(rest.prefix { $0 != "/" })
        let path = String(rest.dropFirst(authority.count))
        self.path = path.isEmpty ? "/" : path
        host = String(authority.prefix { $0 != ":" })
        port = UInt16(authority.drop { $0 != ":" }.dropFirst()) ?? 80
    }
}
