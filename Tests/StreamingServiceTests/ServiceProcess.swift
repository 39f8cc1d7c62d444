import BrokerTestSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real `streaming` process (the executable `swift build` put next to the test bundle), on a
/// free port; always killed at the end.
final class ServiceProcess: Sendable {
    let port: Int
    private let child: ChildProcess
    private let outputPath: String

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
        try BrokerServer.freePort()
    }

    /// Runs the executable with `environment` (and nothing else from this process's), its
    /// output to a file of its own.
    init(environment: [String: String], port: Int? = nil) throws {
        self.port = try port ?? Self.freePort()
        var environment = environment
        environment["PORT"] = String(self.port)
        environment["HOST"] = "127.0.0.1"
        environment["LOG_LEVEL"] = environment["LOG_LEVEL"] ?? "error"
        outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("streaming-\(UUID().uuidString).log").path
        child = try ChildProcess(path: try Self.executable().path, environment: environment, outputPath: outputPath)
    }

    /// Waits for `/readyz` (pipeline reachable, room subscription in place).
    func waitUntilReady(timeout: Duration = .seconds(30)) async throws {
        try await eventually("streaming process ready on \(port)", timeout: timeout) {
            guard child.isRunning else { throw TestFailure("streaming exited: \(errorOutput())") }
            return (try? await HTTP.get(port: port, "/readyz").status) == 200
        }
    }

    /// What the process wrote (stdout and stderr).
    func errorOutput() -> String {
        (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    }

    /// Waits for the process to exit on its own; its exit code (-1 when a signal ended it).
    func waitForExit(timeout: Duration = .seconds(10)) async throws -> Int32 {
        try await eventually("process exit", timeout: timeout) { !child.isRunning }
        return child.exitCode ?? -1
    }

    func kill() {
        child.stop()
    }

    deinit {
        child.stop()
        try? FileManager.default.removeItem(atPath: outputPath)
    }
}
