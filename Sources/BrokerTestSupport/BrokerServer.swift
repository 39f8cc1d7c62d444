import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A real `redis-server` or `nats-server -js` for tests: started on a free loopback port with a
/// private temporary data directory, restartable on the same port and data (fault tests), and
/// stopped with SIGTERM then SIGKILL. Prefer ``withRedisServer(appendOnly:_:)`` and
/// ``withNatsServer(_:)``, which stop the server even when the test throws.
public final class BrokerServer: @unchecked Sendable {
    /// Which broker this is.
    public enum Kind: String, Sendable {
        case redis
        case nats
    }

    /// The broker kind.
    public let kind: Kind
    /// The loopback port it listens on (the same across restarts).
    public let port: Int
    /// Its data directory (AOF for Redis, JetStream store for NATS), removed at ``stop()``.
    public let dataDirectory: URL
    private let binary: String
    private let appendOnly: Bool
    private let lock = NSLock()
    private var process: ChildProcess?

    /// The URL clients use: `redis://127.0.0.1:{port}/0` or `nats://127.0.0.1:{port}`.
    public var url: String {
        switch kind {
        case .redis: "redis://127.0.0.1:\(port)/0"
        case .nats: "nats://127.0.0.1:\(port)"
        }
    }

    private init(kind: Kind, binary: String, appendOnly: Bool, parent: URL? = nil) throws {
        self.kind = kind
        self.binary = binary
        self.appendOnly = appendOnly
        self.port = try Self.freePort()
        self.dataDirectory = (parent ?? FileManager.default.temporaryDirectory)
            .appendingPathComponent("broker-\(kind.rawValue)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
    }

    deinit {
        if let process, process.isRunning {
            process.signal(SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: dataDirectory)
    }

    /// Starts `redis-server` with `--save ""`, optionally `--appendonly yes --appendfsync always`.
    public static func startRedis(appendOnly: Bool = true) async throws -> BrokerServer {
        let server = try BrokerServer(kind: .redis, binary: try locate("redis-server"), appendOnly: appendOnly)
        try await server.launch()
        return server
    }

    /// Starts `nats-server -js` with its file store in the data directory, made inside
    /// `parent` (default: the temporary directory).
    public static func startNats(parent: URL? = nil) async throws -> BrokerServer {
        let server = try BrokerServer(kind: .nats, binary: try locate("nats-server"), appendOnly: true, parent: parent)
        try await server.launch()
        return server
    }

    /// Stops the server and starts it again on the same port with the same data.
    public func restart() async throws {
        await terminate()
        try await launch()
    }

    /// Kills the server (SIGTERM, then SIGKILL after 5 s) without removing its data.
    public func terminate() async {
        let running: ChildProcess? = lock.withLock {
            defer { process = nil }
            return process
        }
        guard let running, running.isRunning else { return }
        running.signal(SIGTERM)
        for _ in 0..<100 where running.isRunning {
            try? await Task.sleep(for: .milliseconds(50))
        }
        if running.isRunning {
            running.signal(SIGKILL)
            running.waitUntilExit()
        }
    }

    /// Stops the server and removes its data directory.
    public func stop() async {
        await terminate()
        try? FileManager.default.removeItem(at: dataDirectory)
    }

    /// Starts the process again after ``terminate()`` (same port, same data).
    public func launch() async throws {
        let arguments: [String]
        switch kind {
        case .redis:
            var redisArguments = [
                "--port", String(port), "--bind", "127.0.0.1", "--dir", dataDirectory.path,
                "--save", "", "--daemonize", "no", "--protected-mode", "no",
                "--logfile", dataDirectory.appendingPathComponent("redis.log").path,
            ]
            if appendOnly { redisArguments += ["--appendonly", "yes", "--appendfsync", "always"] }
            arguments = redisArguments
        case .nats:
            arguments = [
                "-js", "-a", "127.0.0.1", "-p", String(port),
                "--store_dir", dataDirectory.appendingPathComponent("jetstream").path,
                "-l", dataDirectory.appendingPathComponent("nats.log").path,
            ]
        }
        let process = try ChildProcess(path: binary, arguments: arguments)
        lock.withLock { self.process = process }
        let deadline = Date(timeIntervalSinceNow: 15)
        while Date() < deadline {
            if !process.isRunning {
                throw BrokerServerError.failed("\(binary) exited with status \(process.terminationStatus) on port \(port); see \(dataDirectory.path)")
            }
            if Self.accepts(port: port) {
                if kind == .nats { try await Task.sleep(for: .milliseconds(100)) }
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        await terminate()
        throw BrokerServerError.failed("\(binary) did not accept connections on port \(port) within 15 s")
    }

    // MARK: - Helpers

    /// Finds the broker binary in /usr/bin, /usr/sbin, /usr/local/bin or PATH.
    static func locate(_ name: String) throws -> String {
        var candidates = ["/usr/bin/\(name)", "/usr/sbin/\(name)", "/usr/local/bin/\(name)"]
        if let path = ProcessInfo.processInfo.environment["PATH"] {
            candidates += path.split(separator: ":").map { "\($0)/\(name)" }
        }
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        throw BrokerServerError.notInstalled(name)
    }

    /// A loopback port nobody listens on: bind port 0, read the port, close. Tests use it to
    /// point a client at an unreachable broker.
    public static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw BrokerServerError.failed("socket() failed: \(errno)") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw BrokerServerError.failed("bind() failed: \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else { throw BrokerServerError.failed("getsockname() failed: \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether something accepts TCP connections on the loopback port.
    static func accepts(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return result == 0
    }
}
