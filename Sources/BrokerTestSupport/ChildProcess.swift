#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process spawned with a clean signal mask.
///
/// Foundation's `Process` spawns from a Dispatch worker thread whose signal mask blocks SIGTERM,
/// and the child inherits it: `redis-server` then never sees SIGTERM. `posix_spawn` with an
/// explicit empty mask and default dispositions avoids that.
final class ChildProcess: @unchecked Sendable {
    /// The child's process id.
    let pid: pid_t
    private var exitStatus: Int32?

    /// Spawns `path` with `arguments`, stdin/stdout/stderr on /dev/null.
    init(path: String, arguments: [String]) throws {
        var fileActions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&fileActions)
        defer { posix_spawn_file_actions_destroy(&fileActions) }
        posix_spawn_file_actions_addopen(&fileActions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&fileActions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&fileActions, 2, "/dev/null", O_WRONLY, 0)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGPIPE, SIGHUP, SIGQUIT] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = argv.withUnsafeBufferPointer { buffer in
            posix_spawn(&pid, path, &fileActions, &attributes, buffer.baseAddress!, environ)
        }
        guard result == 0 else { throw BrokerServerError.failed("posix_spawn \(path) failed: \(String(cString: strerror(result)))") }
        self.pid = pid
    }

    /// Whether the child still runs (reaps it once it has exited).
    var isRunning: Bool {
        if exitStatus != nil { return false }
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == pid || result < 0 {
            exitStatus = status
            return false
        }
        return true
    }

    /// The raw wait status once exited.
    var terminationStatus: Int32 { exitStatus ?? -1 }

    /// Sends a signal.
    func signal(_ signal: Int32) {
        if isRunning { kill(pid, signal) }
    }

    /// Blocks until the child exits.
    func waitUntilExit() {
        guard exitStatus == nil else { return }
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
        exitStatus = status
    }
}
