/// The head of an HTTP/1.1 response at the start of received bytes, read by the benchmark
/// tools' raw clients (an upgrade's `101`, an ingest's `202`, an order's `201`).
public struct HTTPResponseHead: Sendable {
    /// The status code.
    public let status: Int
    /// Bytes of the head, the blank line included: the body starts there.
    public let length: Int
    /// `Content-Length`, 0 when absent.
    public let contentLength: Int

    /// The head at the start of `bytes`, or nil while its blank line has not arrived.
    public init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= 16 else { return nil }
        var end = -1
        var index = 12
        while index + 3 < bytes.count {
            if bytes[index] == 13, bytes[index + 1] == 10, bytes[index + 2] == 13, bytes[index + 3] == 10 {
                end = index + 4
                break
            }
            index += 1
        }
        guard end > 0 else { return nil }
        status = (Int(bytes[9]) - 48) * 100 + (Int(bytes[10]) - 48) * 10 + (Int(bytes[11]) - 48)
        length = end
        // "\r\ncontent-length:" in any case, then digits.
        var contentLength = 0
        let name: StaticString = "\r\ncontent-length:"
        let nameCount = name.utf8CodeUnitCount
        var line = 12
        search: while line + nameCount <= end {
            for offset in 0..<nameCount {
                var byte = bytes[line + offset]
                if byte >= 65 && byte <= 90 { byte += 32 }
                if byte != name.utf8Start[offset] {
                    line += 1
                    continue search
                }
            }
            var cursor = line + nameCount
            while cursor < end, bytes[cursor] == 32 { cursor += 1 }
            while cursor < end, bytes[cursor] >= 48, bytes[cursor] <= 57 {
                contentLength = contentLength * 10 + Int(bytes[cursor] - 48)
                cursor += 1
            }
            break
        }
        self.contentLength = contentLength
    }

    /// The status and total length of the first whole response in `bytes` (head and body),
    /// or nil while it is incomplete.
    public static func completeResponse(_ bytes: UnsafeRawBufferPointer) -> (status: Int, length: Int)? {
        guard let head = HTTPResponseHead(bytes), bytes.count >= head.length + head.contentLength else { return nil }
        return (head.status, head.length + head.contentLength)
    }
}
