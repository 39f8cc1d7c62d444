import Foundation

/// Wall-clock time in the units the service's messages use.
enum WallTime {
    /// Milliseconds since 1970.
    static func milliseconds() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }

    /// Seconds since 1970.
    static func seconds() -> Int64 {
        Int64(Date().timeIntervalSince1970)
    }
}
