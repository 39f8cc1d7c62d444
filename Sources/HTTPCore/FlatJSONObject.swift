/// A JSON object whose members are all scalars (`{"marketId":"m-1","shares":"150"}`), read
/// without Foundation: order entry is the hottest request of the suite, and `JSONDecoder`
/// cost it more than matching did.
///
/// Only a strict subset is accepted: an object of unique keys whose values are strings
/// without escapes, numbers, `true`, `false` or `null`, with JSON whitespace around tokens.
/// Anything else (escapes, nested values, duplicate keys, invalid UTF-8, any syntax error)
/// gives `nil`, and the caller decodes the body with `JSONDecoder` instead, which then
/// produces the usual answer and error messages. So the subset only changes speed, never
/// what is accepted or refused.
public struct FlatJSONObject: Sendable {
    /// One member's value.
    public enum Value: Sendable, Equatable {
        case string(String)
        /// The number's text as written (`150`, `-0.5e3`).
        case number(String)
        case bool(Bool)
        case null
    }

    /// Members in their order in the text.
    public private(set) var members: [(key: String, value: Value)] = []

    /// The value of `key`, if present.
    public subscript(key: String) -> Value? {
        members.first { $0.key == key }?.value
    }

    /// Parses `bytes`; `nil` when they are not an object of the accepted subset.
    public init?(_ bytes: UnsafeRawBufferPointer) {
        var reader = Reader(bytes: bytes)
        reader.skipWhitespace()
        guard let object = Self.object(from: &reader) else { return nil }
        reader.skipWhitespace()
        guard reader.atEnd else { return nil }
        self = object
    }

    private init(members: [(key: String, value: Value)]) {
        self.members = members
    }

    /// The objects of a body that is one member, an array of flat objects
    /// (`{"orders":[{...},{...}]}`), in order; `nil` when the body is anything else (another or
    /// a second member, a nested value inside an object, any syntax error). As with
    /// ``init(_:)``, a `nil` only sends the body through `JSONDecoder`.
    public static func objects(inArrayNamed name: String, of bytes: UnsafeRawBufferPointer) -> [FlatJSONObject]? {
        var reader = Reader(bytes: bytes)
        reader.skipWhitespace()
        guard reader.take(UInt8(ascii: "{")) else { return nil }
        reader.skipWhitespace()
        guard reader.string() == name else { return nil }
        reader.skipWhitespace()
        guard reader.take(UInt8(ascii: ":")) else { return nil }
        reader.skipWhitespace()
        guard reader.take(UInt8(ascii: "[")) else { return nil }
        var objects: [FlatJSONObject] = []
        reader.skipWhitespace()
        if !reader.take(UInt8(ascii: "]")) {
            while true {
                reader.skipWhitespace()
                guard let object = Self.object(from: &reader) else { return nil }
                objects.append(object)
                reader.skipWhitespace()
                if reader.take(UInt8(ascii: ",")) { continue }
                guard reader.take(UInt8(ascii: "]")) else { return nil }
                break
            }
        }
        reader.skipWhitespace()
        guard reader.take(UInt8(ascii: "}")) else { return nil }
        reader.skipWhitespace()
        guard reader.atEnd else { return nil }
        return objects
    }

    /// One object of the subset, from `{` to its `}`.
    private static func object(from reader: inout Reader) -> FlatJSONObject? {
        guard reader.take(UInt8(ascii: "{")) else { return nil }
        var members: [(key: String, value: Value)] = []
        reader.skipWhitespace()
        if reader.take(UInt8(ascii: "}")) { return FlatJSONObject(members: members) }
        while true {
            reader.skipWhitespace()
            guard let key = reader.string() else { return nil }
            reader.skipWhitespace()
            guard reader.take(UInt8(ascii: ":")) else { return nil }
            reader.skipWhitespace()
            guard let value = reader.scalar() else { return nil }
            guard !members.contains(where: { $0.key == key }) else { return nil }
            members.append((key, value))
            reader.skipWhitespace()
            if reader.take(UInt8(ascii: ",")) { continue }
            guard reader.take(UInt8(ascii: "}")) else { return nil }
            return FlatJSONObject(members: members)
        }
    }

    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var index = 0

        var atEnd: Bool { index == bytes.count }

        mutating func skipWhitespace() {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A || bytes[index] == 0x0D {
                index += 1
            }
        }

        mutating func take(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        mutating func take(_ literal: StaticString) -> Bool {
            let count = literal.utf8CodeUnitCount
            guard bytes.count - index >= count else { return false }
            for offset in 0..<count where bytes[index + offset] != literal.utf8Start[offset] {
                return false
            }
            index += count
            return true
        }

        /// A string without escapes or control characters, valid UTF-8.
        mutating func string() -> String? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = index
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    let text = String(validating: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                    index += 1
                    return text
                }
                if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
                index += 1
            }
            return nil
        }

        mutating func scalar() -> Value? {
            guard index < bytes.count else { return nil }
            switch bytes[index] {
            case UInt8(ascii: "\""): return string().map(Value.string)
            case UInt8(ascii: "t"): return take("true") ? .bool(true) : nil
            case UInt8(ascii: "f"): return take("false") ? .bool(false) : nil
            case UInt8(ascii: "n"): return take("null") ? .null : nil
            default: return number().map(Value.number)
            }
        }

        /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
        mutating func number() -> String? {
            let start = index
            _ = take(UInt8(ascii: "-"))
            if take(UInt8(ascii: "0")) {
                // no more integer digits after a leading zero
            } else {
                guard digits() > 0 else { return nil }
            }
            if take(UInt8(ascii: ".")) {
                guard digits() > 0 else { return nil }
            }
            if take(UInt8(ascii: "e")) || take(UInt8(ascii: "E")) {
                if !take(UInt8(ascii: "+")) { _ = take(UInt8(ascii: "-")) }
                guard digits() > 0 else { return nil }
            }
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        }

        mutating func digits() -> Int {
            let start = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
            return index - start
        }
    }
}
