#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MarketEngine

/// The local append-only journal: one JSON line per accepted command
/// (``JournalEntry/appendJSONLine(to:)``, the form of ``JournalEntry/jsonLine()``), appended
/// in batches and made durable with one `fsync` per batch (group commit).
///
/// A crash can leave a torn last line (a batch half written, never acknowledged): opening the
/// journal cuts the file back to its last complete line. Not thread-safe: the
/// ``JournalCommitter`` is its only writer.
public final class OrderJournal: @unchecked Sendable {
    /// The file's path.
    public let path: String
    private let descriptor: Int32
    private var scratch: [UInt8] = []

    /// Opens (creating it and its folder if needed) the journal at `path` for appending.
    public init(path: String) throws(OrderJournalError) {
        self.path = path
        try Self.createFolder(of: path)
        let fd = Glibc.open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .open("\(path): \(Self.errorText())") }
        self.descriptor = fd
    }

    deinit {
        close(descriptor)
    }

    /// Every complete line, oldest first; a torn last line (no newline) is cut off the file.
    public func readLines() throws(OrderJournalError) -> [String] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var offset: off_t = 0
        while true {
            let count = chunk.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, offset) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .read("\(path): \(Self.errorText())")
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
            offset += off_t(count)
        }
        let complete = (bytes.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 }) ?? 0
        if complete < bytes.count {
            guard ftruncate(descriptor, off_t(complete)) == 0, fsync(descriptor) == 0 else {
                throw .write("cannot cut the torn last line of \(path): \(Self.errorText())")
            }
        }
        return bytes[0..<complete].split(separator: UInt8(ascii: "\n")).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Appends the entries as lines and fsyncs once; returns only when they are durable.
    public func append(_ entries: [JournalEntry]) throws(OrderJournalError) {
        guard !entries.isEmpty else { return }
        scratch.removeAll(keepingCapacity: true)
        for entry in entries {
            do {
                try entry.appendJSONLine(to: &scratch)
            } catch {
                throw .write("cannot encode entry \(entry.sequence): \(error)")
            }
            scratch.append(UInt8(ascii: "\n"))
        }
        try write(scratch)
        guard fsync(descriptor) == 0 else { throw .write("fsync \(path): \(Self.errorText())") }
    }

    private func write(_ bytes: [UInt8]) throws(OrderJournalError) {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                Glibc.write(descriptor, buffer.baseAddress! + written, buffer.count - written)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw .write("\(path): \(Self.errorText())")
            }
            written += count
        }
    }

    private static func createFolder(of path: String) throws(OrderJournalError) {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return }
        let folder = String(path[..<slash])
        var prefix = folder.hasPrefix("/") ? "/" : ""
        for component in folder.split(separator: "/") {
            prefix += (prefix.isEmpty || prefix.hasSuffix("/") ? "" : "/") + component
            if component == "." || component == ".." { continue }
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw .open("cannot create folder \(prefix): \(errorText())")
            }
        }
    }

    private static func errorText() -> String {
        String(cString: strerror(errno))
    }
}
