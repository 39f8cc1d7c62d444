import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real `streaming` process (the executable `swift build` put next to the test bundle), on a
/// free port; always killed at the end.
final class ServiceProcess: @unchecked Sendable {
    let process: Process
    let port: Int
    let output: Pipe

    /// The built executable, or a failure telling to run `swift build` first.
    static func executable() throws -> URL {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL.deletingLastPathComponent(),
            Bundle.main.bundleURL,
        ]
        for folder in candidates {
            let url = folder.appendingPathComponent("streaming")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        throw TestFailure("the streaming executable is missing next to the test bundle: run `swift build` (or `make test`) first")
    }

    /// A port nobody listens on now.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw TestFailure("bind failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Runs the executable with `environment` (and nothing else from this process's).
    init(environment: [String: String], port: Int? = nil) throws {
        self.port = try port ?? Self.freePort()
        process = Process()
        process.executableURL = try Self.executable()
        var environment = environment
        environment["PORT"] = String(self.port)
        environment["HOST"] = "127.0.0.1"
        environment["LOG_LEVEL"] = environment["LOG_LEVEL"] ?? "error"
        process.environment = environment
        output = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = output
        try process.run()
    }

    /// Waits for `/readyz` (pipeline reachable, room subscription in place).
    func waitUntilReady(timeout: Duration = .seconds(30)) async throws {
        try await eventually("streaming process ready on \(port)", timeout: timeout) {
            guard process.isRunning else { throw TestFailure("streaming exited: \(errorOutput())") }
            return (try? await HTTP.get(port: port, "/readyz").status) == 200
        }
    }

    /// What the process wrote to stderr (after it exited).
    func errorOutput() -> String {
        String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
    }

    /// Waits for the process to exit on its own; its exit status.
    func waitForExit(timeout: Duration = .seconds(10)) async throws -> Int32 {
        try await eventually("process exit", timeout: timeout) { !process.isRunning }
        return process.terminationStatus
    }

    func kill() {
        if process.isRunning {
            Glibc.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    deinit { kill() }
}
