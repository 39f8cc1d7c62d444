/// Writes the members of one JSON object into a byte buffer; commas and quoting live here so
/// the encoder reads like the shapes it writes.
struct JSONObjectWriter {
    private var first = true

    /// Appends `{` and returns a writer for the object's members.
    init(opening buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "{"))
    }

    /// Appends `}`.
    func close(_ buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "}"))
    }

    /// Writes `"name":` (with the separating comma).
    mutating func key(_ name: StaticString, _ buffer: inout [UInt8]) {
        if first {
            first = false
        } else {
            buffer.append(UInt8(ascii: ","))
        }
        buffer.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { buffer.append(contentsOf: $0) }
        buffer.append(UInt8(ascii: "\""))
        buffer.append(UInt8(ascii: ":"))
    }

    /// A string member, escaped; `null` when absent.
    mutating func string(_ name: StaticString, _ value: String?, _ buffer: inout [UInt8]) {
        key(name, &buffer)
        guard let value else {
            buffer.append(contentsOf: "null".utf8)
            return
        }
        Self.appendEscaped(value, to: &buffer)
    }

    /// A string member whose value needs no escaping (enum raw values).
    mutating func raw(_ name: StaticString, _ value: String, _ buffer: inout [UInt8]) {
        key(name, &buffer)
        buffer.append(UInt8(ascii: "\""))
        buffer.append(contentsOf: value.utf8)
        buffer.append(UInt8(ascii: "\""))
    }

    /// A decimal as a JSON number; `null` when absent.
    mutating func number(_ name: StaticString, _ value: FixedDecimal?, _ buffer: inout [UInt8]) {
        key(name, &buffer)
        guard let value else {
            buffer.append(contentsOf: "null".utf8)
            return
        }
        value.write(into: &buffer)
    }

    /// A decimal as a JSON string (`"0.65"`); `null` when absent.
    mutating func decimalString(_ name: StaticString, _ value: FixedDecimal?, _ buffer: inout [UInt8]) {
        key(name, &buffer)
        guard let value else {
            buffer.append(contentsOf: "null".utf8)
            return
        }
        buffer.append(UInt8(ascii: "\""))
        value.write(into: &buffer)
        buffer.append(UInt8(ascii: "\""))
    }

    /// An integer member.
    mutating func integer(_ name: StaticString, _ value: Int64, _ buffer: inout [UInt8]) {
        key(name, &buffer)
        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        FixedDecimal.writeDigits(value.magnitude, into: &buffer)
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `value` as a quoted JSON string, escaping quotes, backslashes and controls.
    static func appendEscaped(_ value: String, to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): buffer.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): buffer.append(contentsOf: #"\\"#.utf8)
            case 0x0A: buffer.append(contentsOf: #"\n"#.utf8)
            case 0x0D: buffer.append(contentsOf: #"\r"#.utf8)
            case 0x09: buffer.append(contentsOf: #"\t"#.utf8)
            case 0..<0x20:
                buffer.append(contentsOf: #"\u00"#.utf8)
                buffer.append(hexDigits[Int(byte >> 4)])
                buffer.append(hexDigits[Int(byte & 0x0F)])
            default: buffer.append(byte)
            }
        }
        buffer.append(UInt8(ascii: "\""))
    }
}
