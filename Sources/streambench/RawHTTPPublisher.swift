#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The ingest side of `--client raw`: POSTs over one keep-alive socket from one thread, a
/// request at a time, as a C load generator would. It keeps AsyncHTTPClient (and its event
/// loops) off the measuring machine's two cores.
final class RawHTTPPublisher: @unchecked Sendable {
    private let descriptor: Int32
    private let head: String
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)

    /// Connects to `url` (`http://host:port/path`); `token` goes in `Authorization: Bearer`.
    init(url: String, token: String) throws {
        guard url.hasPrefix("http://") else { throw OptionError("only http:// ingest URLs are supported: \(url)") }
        let rest = url.dropFirst(7)
        let authority = String(rest.prefix { $0 != "/" })
        let path = String(rest.dropFirst(authority.count))
        let host = String(authority.prefix { $0 != ":" })
        let port = UInt16(authority.drop { $0 != ":" }.dropFirst()) ?? 80
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw OptionError("socket failed: \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host, &address.sin_addr) == 1 else {
            close(descriptor)
            throw OptionError("the raw client needs an IPv4 address, not \(host)")
        }
        var noDelay: Int32 = 1
        setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(descriptor)
            throw OptionError("connect to \(authority) failed: \(errno)")
        }
        self.descriptor = descriptor
        var head = "POST \(path.isEmpty ? "/" : path) HTTP/1.1\r\nHost: \(authority)\r\nContent-Type: application/json\r\n"
        if !token.isEmpty { head += "Authorization: Bearer \(token)\r\n" }
        self.head = head
    }

    deinit { close(descriptor) }

    /// Sends one POST and reads its answer; true for a 2xx.
    func post(_ body: String) -> Bool {
        let request = Array((head + "Content-Length: \(body.utf8.count)\r\n\r\n" + body).utf8)
        guard request.withUnsafeBytes({ write(descriptor, $0.baseAddress, $0.count) }) == request.count else { return false }
        var received: [UInt8] = []
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { return false }
            received.append(contentsOf: buffer[..<count])
            guard let end = received.indices.dropLast(3).first(where: {
                received[$0] == 13 && received[$0 + 1] == 10 && received[$0 + 2] == 13 && received[$0 + 3] == 10
            }) else { continue }
            let head = String(decoding: received[..<end], as: UTF8.self).lowercased()
            var length = 0
            if let range = head.range(of: "\r\ncontent-length:") {
                length = Int(head[range.upperBound...].drop { $0 == " " }.prefix { $0.isNumber }) ?? 0
            }
            if received.count >= end + 4 + length {
                return head.hasPrefix("http/1.1 2")
            }
        }
    }
}
