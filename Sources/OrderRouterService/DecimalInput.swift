import HTTPCore
import MarketEngine

/// A decimal as a client sends it: a JSON string (`"150"`, exact) or a JSON number (`150`,
/// read through its shortest round-trip text). Parsed later so that a bad value is the
/// engine's `invalid_decimal` (422), not a malformed body (400).
struct DecimalInput: Decodable, Sendable {
    let text: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self.text = text
        } else {
            let number = try container.decode(Double.self)
            self.text = number.isFinite ? "\(number)" : "NaN"
        }
    }

    /// A string or a number member of a flat body, read as `init(from:)` reads it.
    init?(flat value: FlatJSONObject.Value) {
        switch value {
        case .string(let text):
            self.text = text
        case .number(let text):
            // Out of Double's range, JSONDecoder refuses the body: leave that answer to it.
            guard let number = Double(text), number.isFinite else { return nil }
            self.text = "\(number)"
        case .bool, .null:
            return nil
        }
    }

    /// The exact value; `invalid_decimal` or `decimal_out_of_range` otherwise.
    func value(field: String) throws(EngineError) -> FixedDecimal {
        do {
            return try FixedDecimal(text)
        } catch {
            throw error.with(detail: "\(field) '\(text)'")
        }
    }
}
