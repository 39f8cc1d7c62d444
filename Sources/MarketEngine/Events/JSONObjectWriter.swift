/// Writes the members of one JSON object into a byte buffer; commas and quoting live here so
/// the encoder reads like the shapes it writes.
struct JSONObjectWriter {
    private var first = true

    /// Appends `{` and returns a writer for the object's members.
    init(opening buffer: inout ByteWriter) {
        buffer.append(UInt8(ascii: "{"))
    }

    /// Appends `}`.
    func close(_ buffer: inout ByteWriter) {
        buffer.append(UInt8(ascii: "}"))
    }

    /// Writes `"name":` (with the separating comma).
    mutating func key(_ name: StaticString, _ buffer: inout ByteWriter) {
        buffer.appendKey(name, comma: !first)
        first = false
    }

    /// A string member, escaped; `null` when absent.
    mutating func string(_ name: StaticString, _ value: String?, _ buffer: inout ByteWriter) {
        key(name, &buffer)
        guard let value else {
            buffer.append("null" as StaticString)
            return
        }
        Self.appendEscaped(value, to: &buffer)
    }

    /// A string member whose value needs no escaping (enum raw values).
    mutating func raw(_ name: StaticString, _ value: String, _ buffer: inout ByteWriter) {
        key(name, &buffer)
        buffer.append(UInt8(ascii: "\""))
        buffer.append(value)
        buffer.append(UInt8(ascii: "\""))
    }

    /// A decimal as a JSON number; `null` when absent.
    mutating func number(_ name: StaticString, _ value: FixedDecimal?, _ buffer: inout ByteWriter) {
        key(name, &buffer)
        guard let value else {
            buffer.append("null" as StaticString)
            return
        }
        buffer.append(value)
    }

    /// A decimal as a JSON string (`"0.65"`); `null` when absent.
    mutating func decimalString(_ name: StaticString, _ value: FixedDecimal?, _ buffer: inout ByteWriter) {
        key(name, &buffer)
        guard let value else {
            buffer.append("null" as StaticString)
            return
        }
        buffer.append(UInt8(ascii: "\""))
        buffer.append(value)
        buffer.append(UInt8(ascii: "\""))
    }

    /// An integer member.
    mutating func integer(_ name: StaticString, _ value: Int64, _ buffer: inout ByteWriter) {
        key(name, &buffer)
        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        buffer.appendDigits(value.magnitude)
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `value` as a quoted JSON string, escaping quotes, backslashes and controls.
    static func appendEscaped(_ value: String, to buffer: inout ByteWriter) {
        var value = value
        value.withUTF8 { bytes in
            guard !buffer.appendQuotedIfClean(bytes) else { return }
            buffer.append(UInt8(ascii: "\""))
            appendEscapedSlowly(bytes, to: &buffer)
            buffer.append(UInt8(ascii: "\""))
        }
    }

    private static func appendEscapedSlowly(_ bytes: UnsafeBufferPointer<UInt8>, to buffer: inout ByteWriter) {
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""): buffer.append(#"\""# as StaticString)
            case UInt8(ascii: "\\"): buffer.append(#"\\"# as StaticString)
            case 0x0A: buffer.append(#"\n"# as StaticString)
            case 0x0D: buffer.append(#"\r"# as StaticString)
            case 0x09: buffer.append(#"\t"# as StaticString)
            case 0..<0x20:
                buffer.append(#"\u00"# as StaticString)
                buffer.append(hexDigits[Int(byte >> 4)])
                buffer.append(hexDigits[Int(byte & 0x0F)])
            default: buffer.append(byte)
            }
        }
    }
}
