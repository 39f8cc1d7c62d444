// MARK: Codable

extension FixedDecimal: Codable {
    /// Decodes a JSON string (exact) or a JSON number.
    ///
    /// A JSON number reaches `Decodable` as a `Double`; its shortest round-trip text is parsed,
    /// which is exact for every number written with up to 15 significant digits (all the
    /// engine ever writes: prices, shares below 10^9 with six decimals). Use ``parse(_:)`` on
    /// the raw bytes when the full 19 digits matter.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            do {
                self = try FixedDecimal(text)
            } catch {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
            }
            return
        }
        let number = try container.decode(Double.self)
        guard number.isFinite else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a finite number")
        }
        do {
            self = try FixedDecimal("\(number)")
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    /// Encodes the canonical string, which is lossless (journals and snapshots use this).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
