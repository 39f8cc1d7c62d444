#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The journal sequence through which every event has been acknowledged by the pipeline, kept
/// in a small file next to the journal (`<journal>.published`).
///
/// The ``EventPublisher`` records it after each batch the pipeline took. After a crash, the
/// service re-queues the events of the journal entries past it (the commands were durable and
/// acknowledged, their events were still in the outbox); their idempotency keys make the
/// broker drop any that did get through before the crash. The mark only ever lags what the
/// pipeline holds, so a lost update costs a re-send, never a missing event.
///
/// The value is one fixed-width line written with one `pwrite` at offset 0 (a process killed
/// mid-call leaves the old or the new value). The publisher's updates are not fsynced: after
/// an OS crash the mark can only be older, which again means re-sending. The value a start
/// sets (a new journal's, a reset) is fsynced with its folder, so the file never reads as
/// empty after an OS crash.
public final class PublishedWatermark: @unchecked Sendable {
    /// The file's path.
    public let path: String
    private let descriptor: Int32
    private static let width = 21

    /// Opens (creating it) the mark at `path`.
    public init(path: String) throws(OrderJournalError) {
        self.path = path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .open("published-events mark \(path): \(String(cString: strerror(errno)))") }
        descriptor = fd
    }

    deinit {
        close(descriptor)
    }

    /// The path of the mark of the journal at `journalPath`.
    public static func path(forJournal journalPath: String) -> String {
        journalPath + ".published"
    }

    /// What the file holds: nil when it is empty (never written) or unreadable.
    public func read() -> UInt64? {
        var bytes = [UInt8](repeating: 0, count: Self.width)
        let count = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count == Self.width, bytes[Self.width - 1] == UInt8(ascii: "\n") else { return nil }
        let digits = bytes[0..<(Self.width - 1)].drop { $0 == UInt8(ascii: " ") }
        guard !digits.isEmpty, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return UInt64(String(decoding: digits, as: UTF8.self))
    }

    /// ``record(_:)``, then fsyncs the file and its folder: for the value a start sets.
    public func recordDurably(_ sequence: UInt64) throws(OrderJournalError) {
        try record(sequence)
        guard fsync(descriptor) == 0 else { throw .write("published-events mark \(path): \(String(cString: strerror(errno)))") }
        let folder = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        let folderDescriptor = open(folder.isEmpty ? "/" : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard folderDescriptor >= 0 else { return }
        defer { close(folderDescriptor) }
        _ = fsync(folderDescriptor)
    }

    /// Records that every event of the entries up to `sequence` is in the pipeline. A failed
    /// write is reported and leaves the previous value (the events are then re-sent).
    public func record(_ sequence: UInt64) throws(OrderJournalError) {
        let text = String(sequence)
        let line = Array(String(repeating: " ", count: Self.width - 1 - text.utf8.count).utf8) + Array(text.utf8) + [UInt8(ascii: "\n")]
        let written = line.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        guard written == line.count else {
            throw .write("published-events mark \(path): \(written < 0 ? String(cString: strerror(errno)) : "short write")")
        }
    }
}
