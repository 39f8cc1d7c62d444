#if canImport(Glibc)
import Glibc
#endif

/// Monotonic nanoseconds, shared by the publisher and the subscribers of one process, so a
/// timestamp embedded in a message measures publish-to-delivery latency.
enum BenchClock {
    static func now() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }
}
