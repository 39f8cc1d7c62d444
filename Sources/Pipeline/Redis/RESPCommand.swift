/// A Redis command encoded straight into RESP (`*n`, then `$len` and bytes per argument), so a
/// batch of events is copied once into one buffer instead of once per argument array.
struct RESPCommand {
    private(set) var bytes: [UInt8] = []
    private var count = 0
    private var headerEnd = 0

    /// Reserves room for about `capacity` bytes of arguments.
    init(capacity: Int) {
        bytes.reserveCapacity(capacity + 32)
    }

    /// Appends one argument.
    mutating func append(_ argument: some Collection<UInt8>) {
        bytes.append(UInt8(ascii: "$"))
        appendDecimal(argument.count)
        bytes.append(13)
        bytes.append(10)
        bytes.append(contentsOf: argument)
        bytes.append(13)
        bytes.append(10)
        count += 1
    }

    /// Appends one text argument.
    mutating func append(_ argument: String) {
        append(argument.utf8)
    }

    /// Appends one integer argument in decimal.
    mutating func append(_ argument: Int64) {
        append(String(argument).utf8)
    }

    private mutating func appendDecimal(_ value: Int) {
        if value < 10 {
            bytes.append(UInt8(ascii: "0") + UInt8(value))
        } else {
            bytes.append(contentsOf: String(value).utf8)
        }
    }

    /// The complete command: the `*count` header followed by the arguments.
    func encoded() -> [UInt8] {
        var header: [UInt8] = [UInt8(ascii: "*")]
        header.append(contentsOf: String(count).utf8)
        header.append(13)
        header.append(10)
        return header + bytes
    }
}
