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
        let target = try LoopbackURL(url, scheme: "http", role: "ingest ")
        let descriptor = try LoopbackSocket.connect(host: target.host, port: target.port)
        self.descriptor = descriptor
        var head = "POST \(target.path) HTTP/1.1\r\nHost: \(target.authority)\r\nContent-Type: application/json\r\n"
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
