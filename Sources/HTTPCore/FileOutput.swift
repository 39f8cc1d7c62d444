#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes to standard error with one `write(2)` per call, so concurrent log lines never
/// interleave and nothing goes through shared C `FILE` state.
enum FileOutput {
    static func standardError(_ text: String) {
        standardError(Array(text.utf8))
    }

    static func standardError(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(2, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }
}
