import BrokerTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The spawner the tests' brokers and services go through.
@Suite("ChildProcess")
struct ChildProcessTests {
    @Test("a child gets the environment it is given, its output file, its exit code, and none of the parent's other descriptors")
    func environmentOutputExitAndDescriptors() throws {
        // A pipe open in the parent without close-on-exec, as Foundation's `Pipe` leaves them.
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { ends.forEach { close($0) } }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("child-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: output) }

        let child = try ChildProcess(
            path: "/bin/sh",
            arguments: ["-c", #"echo "greeting=$GREETING"; ls /proc/$$/fd; exit 7"#],
            environment: ["GREETING": "hello", "PATH": "/usr/bin:/bin"],
            outputPath: output
        )
        child.waitUntilExit()
        #expect(child.exitCode == 7)
        #expect(!child.isRunning)
        let text = try String(contentsOfFile: output, encoding: .utf8)
        #expect(text.contains("greeting=hello"))
        let descriptors = Set(text.split(separator: "\n").compactMap { Int32($0) })
        #expect(descriptors.contains(0) && descriptors.contains(1) && descriptors.contains(2), "\(descriptors)")
        #expect(!descriptors.contains(ends[0]) && !descriptors.contains(ends[1]), "the pipe \(ends) leaked into \(descriptors)")
    }

    @Test("a child ended by a signal has no exit code; stop() reaps it")
    func killedChild() throws {
        let child = try ChildProcess(path: "/bin/sleep", arguments: ["30"])
        #expect(child.isRunning)
        child.stop()
        #expect(!child.isRunning)
        #expect(child.exitCode == nil)
        #expect(child.terminationStatus & 0x7F == SIGKILL)
    }
}
