#if canImport(Glibc)
import Glibc
#endif

/// Plain TCP sockets for the benchmark tools' C-style load generators (`streambench`,
/// `orderbench`): a blocking connect with `TCP_NODELAY`, nothing else in the way.
public enum LoopbackSocket {
    /// Why a socket could not be made.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// A connected socket to `host` (an IPv4 address or `localhost`) and `port`, blocking
    /// unless `nonBlocking`. The caller closes it.
    public static func connect(host: String, port: UInt16, nonBlocking: Bool = false) throws(Failure) -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket failed: \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host, &address.sin_addr) == 1 else {
            close(descriptor)
            throw Failure(description: "the raw client needs an IPv4 address, not \(host)")
        }
        var noDelay: Int32 = 1
        setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(descriptor)
            throw Failure(description: "connect to \(host):\(port) failed: \(errno)")
        }
        if nonBlocking { makeNonBlocking(descriptor) }
        return descriptor
    }

    /// Switches a socket to non-blocking reads and writes.
    public static func makeNonBlocking(_ descriptor: Int32) {
        let flags = fcntl(descriptor, F_GETFL)
        _ = fcntl(descriptor, F_SETFL, flags | O_NONBLOCK)
    }

    /// Writes all of `bytes`; false if the socket refused part of them.
    public static func write(_ bytes: [UInt8], to descriptor: Int32) -> Bool {
        bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) } == bytes.count
    }
}
