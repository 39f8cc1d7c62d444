import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
#if canImport(Glibc)
import Glibc
#endif

/// A `market-ws` executable started as a child process (built by `swift build` next to the
/// test bundle), for the many-nodes test.
final class MarketWSProcess: @unchecked Sendable {
    let process = Process()
    let port: Int

    /// The executable next to the test bundle, or in `.build/debug` of the package.
    static func executableURL() throws -> URL {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("market-ws"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("market-ws"),
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent(".build/debug/market-ws"),
        ]
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate.path) {
            return candidate
        }
        throw WaitTimeout(what: "the market-ws executable: run `swift build --product market-ws` first (looked in \(candidates.map(\.path)))")
    }

    init(environment: [String: String]) throws {
        port = try Self.freePort()
        process.executableURL = try Self.executableURL()
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        env["PORT"] = String(port)
        env["HOST"] = "127.0.0.1"
        env["LOG_LEVEL"] = "error"
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// Waits until `/readyz` answers 200 (pipeline reachable, stream caught up).
    func waitUntilReady() async throws {
        try await waitUntil("market-ws on \(port) ready", timeout: .seconds(30)) {
            guard process.isRunning else { throw WaitTimeout(what: "market-ws exited with \(process.terminationStatus)") }
            let request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/readyz")
            guard let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(2)) else { return false }
            return response.status.code == 200
        }
    }

    /// SIGTERM, then wait for the exit.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw WaitTimeout(what: "a socket") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard bound == 0 else { throw WaitTimeout(what: "a free port") }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else { throw WaitTimeout(what: "a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
