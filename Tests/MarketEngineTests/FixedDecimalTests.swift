import Foundation
import MarketEngine
import Testing

@Suite("FixedDecimal")
struct FixedDecimalTests {
    @Test("parses decimal and JSON-number text exactly", arguments: [
        ("150", Int64(150_000_000)), ("0.65", 650_000), ("0.6500000", 650_000), (".5", 500_000),
        ("+3", 3_000_000), ("-1.5", -1_500_000), ("-0", 0), ("1e-2", 10_000), ("6.5E-1", 650_000),
        ("0.000001", 1), ("9223372036854.775807", Int64.max), ("12.340000000000000000000", 12_340_000),
    ])
    func parses(text: String, raw: Int64) throws {
        #expect(try FixedDecimal(text).rawValue == raw)
    }

    @Test("refuses malformed text", arguments: ["", "abc", "1.2.3", "1e", "-", ".", "0x10", "1,5", " 1", "0.1234567", "1e-7", "nan"])
    func refusesMalformed(text: String) {
        #expect(throws: EngineError.invalidDecimal) { try FixedDecimal(text) }
    }

    @Test("refuses values out of range", arguments: ["9223372036854.775808", "1e20", "-9223372036854.775808", "99999999999999999999"])
    func refusesOutOfRange(text: String) {
        #expect(throws: EngineError.decimalOutOfRange) { try FixedDecimal(text) }
    }

    @Test("prints canonical text without trailing zeros", arguments: [
        ("150", "150"), ("0.62", "0.62"), ("93.000", "93"), ("0.000001", "0.000001"), ("-1.50", "-1.5"),
        ("0", "0"), ("10.05", "10.05"), ("0.665", "0.665"), ("-0.000010", "-0.00001"),
        ("9223372036854.775807", "9223372036854.775807"),
    ])
    func prints(text: String, canonical: String) throws {
        #expect(try FixedDecimal(text).description == canonical)
    }

    @Test("arithmetic is exact and rounds products half to even")
    func arithmetic() throws {
        let tenth: FixedDecimal = "0.1"
        #expect(try tenth.adding("0.2") == "0.3")
        #expect(try FixedDecimal("0.62").multiplied(by: 150) == 93)
        #expect(try FixedDecimal(93).divided(by: 150) == "0.62")
        #expect(try FixedDecimal("0.000001").multiplied(by: "0.5") == 0)
        #expect(try FixedDecimal("0.000003").multiplied(by: "0.5") == "0.000002")
        #expect(try FixedDecimal("-0.000003").multiplied(by: "0.5") == "-0.000002")
        #expect(try FixedDecimal(1).divided(by: 3) == "0.333333")
        #expect(try FixedDecimal(2).divided(by: 3) == "0.666667")
    }

    @Test("overflow throws instead of wrapping")
    func overflow() throws {
        let max = FixedDecimal(rawValue: .max)
        #expect(throws: EngineError.decimalOutOfRange) { try max.adding("0.000001") }
        #expect(throws: EngineError.decimalOutOfRange) { try max.multiplied(by: 2) }
        #expect(throws: EngineError.decimalOutOfRange) { try FixedDecimal(1).divided(by: 0) }
        #expect(throws: EngineError.decimalOutOfRange) { try FixedDecimal(rawValue: .min + 1).subtracting(1) }
    }

    @Test("Codable reads JSON numbers and strings exactly and writes strings")
    func codable() throws {
        let json = Data(#"[0.665, "0.665", 150, 1e-6, 5000.25]"#.utf8)
        let values = try JSONDecoder().decode([FixedDecimal].self, from: json)
        #expect(values == ["0.665", "0.665", 150, "0.000001", "5000.25"])
        let encoded = String(decoding: try JSONEncoder().encode(["0.665" as FixedDecimal]), as: UTF8.self)
        #expect(encoded == #"["0.665"]"#)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([FixedDecimal].self, from: Data(#"["0.1234567"]"#.utf8)) }
    }
}
