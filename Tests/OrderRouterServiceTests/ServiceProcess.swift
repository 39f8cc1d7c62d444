import BrokerTestSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The real `order-router` executable run as a child process (crash tests): spawned with a
/// clean signal mask (``ChildProcess``), output to a log file, always killed at the end.
final class ServiceProcess: Sendable {
    let port: Int
    let logPath: String
    private let child: ChildProcess

    /// The executable built next to the test bundle; fails telling to run `swift build` first.
    static func executable(named name: String) throws -> String {
        let argumentFolder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [argumentFolder, Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
        for folder in candidates {
            let path = folder.appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw ProcessError("the \(name) executable is missing next to the tests (looked in \(candidates.map(\.path))): run `swift build` first")
    }

    /// A loopback TCP port free right now.
    static func freePort() throws -> Int {
        try BrokerServer.freePort()
    }

    /// Spawns `path` with `environment` (plus PATH) listening on `port`.
    init(path: String, environment: [String: String], port: Int, logPath: String) throws {
        self.port = port
        self.logPath = logPath
        var variables = environment
        variables["PATH"] = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        variables["PORT"] = String(port)
        variables["HOST"] = "127.0.0.1"
        child = try ChildProcess(path: path, environment: variables, outputPath: logPath)
    }

    /// Sends `signal` and waits for the process to end.
    func kill(_ signal: Int32 = SIGKILL) {
        child.stop(signal)
    }

    /// True while the child runs.
    var isRunning: Bool { child.isRunning }

    /// The child's output so far (for failure messages).
    var log: String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    }

    deinit {
        child.stop()
    }
}

/// A test harness failure.
struct ProcessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
