#if canImport(Glibc)
import Glibc
#endif
import BenchSupport
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
        let descriptor = try LoopbackSocket.connect(host: host, port: port)
        self.descriptor = descriptor
        var head = "POST \(path.isEmpty ? "/" : path) HTTP/1.1\r\nHost: \(authority)\r\nContent-Type: application/json\r\n"
        if !token.isEmpty { head += "Authorization: Bearer \(token)\r\n" }
        self.head = head
    }

    deinit { close(descriptor) }

    /// Sends one POST and reads its answer; true for a 2xx.
    func post(_ body: String) -> Bool {
        let request = Array((head + "Content-Length: \(body.utf8.count)\r\n\r\n" + body).utf8)
        guard LoopbackSocket.write(request, to: descriptor) else { return false }
        var received: [UInt8] = []
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { return false }
            received.append(contentsOf: buffer[..<count])
            if let response = received.withUnsafeBytes({ HTTPResponseHead.completeResponse($0) }) {
                return (200..<300).contains(response.status)
            }
        }
    }
}
