import CSpawn
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process spawned with a clean signal mask: the brokers of the tests, and the suite's
/// own executables in crash and multi-process tests.
///
/// Foundation's `Process` spawns from a Dispatch worker thread whose signal mask blocks SIGTERM,
/// and the child inherits it: `redis-server` then never sees SIGTERM. `posix_spawn` with an
/// explicit empty mask and default dispositions avoids that.
public final class ChildProcess: @unchecked Sendable {
    /// The child's process id.
    public let pid: pid_t
    private var exitStatus: Int32?

    /// Spawns `path` with `arguments`. `environment` replaces this process's when given;
    /// stdout and stderr go to the end of `outputPath` when given, else to /dev/null.
    public init(path: String, arguments: [String] = [], environment: [String: String]? = nil, outputPath: String? = nil) throws {
        var fileActions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&fileActions)
        defer { posix_spawn_file_actions_destroy(&fileActions) }
        posix_spawn_file_actions_addopen(&fileActions, 0, "/dev/null", O_RDONLY, 0)
        if let outputPath {
            posix_spawn_file_actions_addopen(&fileActions, 1, outputPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        } else {
            posix_spawn_file_actions_addopen(&fileActions, 1, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&fileActions, 1, 2)
        // Nothing else of this process: a pipe a test reads to its end must not stay open in
        // a broker or service it spawned.
        posix_spawn_file_actions_addclosefrom_np(&fileActions, 3)

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
        let envp: [UnsafeMutablePointer<CChar>?]? = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer {
            argv.forEach { free($0) }
            envp?.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = argv.withUnsafeBufferPointer { args in
            guard let envp else { return posix_spawn(&pid, path, &fileActions, &attributes, args.baseAddress!, environ) }
            return envp.withUnsafeBufferPointer { env in
                posix_spawn(&pid, path, &fileActions, &attributes, args.baseAddress!, env.baseAddress!)
            }
        }
        guard result == 0 else { throw BrokerServerError.failed("posix_spawn \(path) failed: \(String(cString: strerror(result)))") }
        self.pid = pid
    }

    /// Whether the child still runs (reaps it once it has exited).
    public var isRunning: Bool {
        if exitStatus != nil { return false }
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == pid {
            exitStatus = status
            return false
        }
        if result < 0 && errno != EINTR {
            // Not our child any more (reaped elsewhere): gone, with no status to report.
            exitStatus = Self.unknownStatus
            return false
        }
        return true
    }

    /// A wait status no exit or signal produces (a stopped child's), for "reaped, status
    /// unknown".
    private static let unknownStatus: Int32 = 0x7F

    /// The raw wait status once exited.
    public var terminationStatus: Int32 { exitStatus ?? -1 }

    /// The exit code when the child exited by itself (nil when a signal ended it, or when its
    /// status is unknown).
    public var exitCode: Int32? {
        guard let exitStatus, exitStatus & 0x7F == 0 else { return nil }
        return (exitStatus >> 8) & 0xFF
    }

    /// Sends a signal.
    public func signal(_ signal: Int32) {
        if isRunning { kill(pid, signal) }
    }

    /// Blocks until the child exits.
    public func waitUntilExit() {
        guard exitStatus == nil else { return }
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, 0)
            if result == pid {
                exitStatus = status
                return
            }
            if result < 0 && errno != EINTR {
                exitStatus = Self.unknownStatus
                return
            }
        }
    }

    /// Sends `signal` (SIGKILL by default) and waits for the child to end.
    public func stop(_ signal: Int32 = SIGKILL) {
        guard isRunning else { return }
        kill(pid, signal)
        waitUntilExit()
    }
}
