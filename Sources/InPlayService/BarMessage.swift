import Foundation
import SetupDetection

/// The JSON form of one bar, on the pipeline (`marketdata.bars.{symbol}`) and in
/// `POST /inplay/bars`:
/// `{"symbol":"AAPL","timestamp":"2024-03-19T14:34:00Z","duration_seconds":60,"open":190.1,
/// "high":190.6,"low":189.9,"close":190.5,"volume":1200}`.
///
/// `timestamp` is the bar's start: an ISO-8601 string with a zone or integer epoch seconds.
/// `duration_seconds` defaults to 60 and `volume` to 0. On the pipeline `symbol` may be left
/// out (the subject names it).
public struct BarMessage: Sendable, Equatable, Decodable {
    /// The timestamp as sent: text or a number, checked by ``bar(defaultSymbol:)``.
    public enum Timestamp: Sendable, Equatable {
        case text(String)
        case number(Double)
    }

    /// The symbol, when the message carries one.
    public var symbol: String?
    /// When the bar starts.
    public var timestamp: Timestamp
    /// Bar length in seconds.
    public var durationSeconds: Int64
    /// Open price.
    public var open: Double
    /// High price.
    public var high: Double
    /// Low price.
    public var low: Double
    /// Close price.
    public var close: Double
    /// Volume.
    public var volume: Double

    private enum CodingKeys: String, CodingKey {
        case symbol, timestamp, open, high, low, close, volume
        case durationSeconds = "duration_seconds"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        symbol = try container.decodeIfPresent(String.self, forKey: .symbol)
        if let text = try? container.decode(String.self, forKey: .timestamp) {
            timestamp = .text(text)
        } else {
            timestamp = .number(try container.decode(Double.self, forKey: .timestamp))
        }
        durationSeconds = try container.decodeIfPresent(Int64.self, forKey: .durationSeconds) ?? 60
        open = try container.decode(Double.self, forKey: .open)
        high = try container.decode(Double.self, forKey: .high)
        low = try container.decode(Double.self, forKey: .low)
        close = try container.decode(Double.self, forKey: .close)
        volume = try container.decodeIfPresent(Double.self, forKey: .volume) ?? 0
    }

    /// The bar, or why these values cannot be one (for a 422 or a logged drop). `defaultSymbol`
    /// is used when the message has none; a message symbol that differs from it is refused.
    public func bar(defaultSymbol: String? = nil) -> Result<Bar, BarMessageError> {
        let symbol: String
        switch (self.symbol, defaultSymbol) {
        case (let own?, let expected?) where own != expected:
            return .failure(.invalid("symbol '\(own)' does not match the subject's symbol '\(expected)'"))
        case (let own?, _):
            symbol = own
        case (nil, let expected?):
            symbol = expected
        case (nil, nil):
            return .failure(.invalid("missing field 'symbol'"))
        }
        let start: UTCTime
        switch timestamp {
        case .text(let text):
            guard let time = BarCSVLoader.parseTimestamp(text) else {
                return .failure(.invalid("timestamp '\(text)' is not ISO-8601 with a zone (2024-03-19T14:34:00Z) or epoch seconds"))
            }
            start = time
        case .number(let value):
            guard value.isFinite, value == value.rounded(), abs(value) < 1e11 else {
                return .failure(.invalid("timestamp \(value) is not whole epoch seconds (milliseconds are not accepted)"))
            }
            start = UTCTime(secondsSinceEpoch: Int64(value))
        }
        let bar = Bar(
            symbol: symbol, start: start, durationSeconds: durationSeconds,
            open: open, high: high, low: low, close: close, volume: volume
        )
        if let problem = bar.validationProblem { return .failure(.invalid(problem)) }
        return .success(bar)
    }

    /// Decodes one message or an array of them from JSON bytes.
    public static func decodeBatch(_ bytes: some Collection<UInt8>) throws(BarMessageError) -> [BarMessage] {
        let data = Data(bytes)
        guard let first = data.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) else {
            throw .malformed("request body is empty; expected a bar object or an array of bars")
        }
        do {
            if first == UInt8(ascii: "[") {
                return try JSONDecoder().decode([BarMessage].self, from: data)
            }
            return [try JSONDecoder().decode(BarMessage.self, from: data)]
        } catch {
            throw .malformed(Self.describe(error))
        }
    }

    /// A short reason for a decoding failure naming the field and the bar index.
    static func describe(_ error: any Error) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            var parts: [String] = []
            for key in keys {
                if let index = key.intValue { parts.append("bar \(index)") } else { parts.append("field '\(key.stringValue)'") }
            }
            return parts.joined(separator: ", ")
        }
        guard let decoding = error as? DecodingError else { return "not valid JSON" }
        switch decoding {
        case .keyNotFound(let key, let context):
            let location = path(context.codingPath)
            return (location.isEmpty ? "" : location + ": ") + "missing field '\(key.stringValue)'"
        case .typeMismatch(let type, let context):
            return path(context.codingPath) + ": expected \(type == Double.self ? "a number" : "\(type)")"
        case .valueNotFound(_, let context):
            return path(context.codingPath) + ": is null"
        case .dataCorrupted(let context):
            let location = path(context.codingPath)
            return location.isEmpty ? "not valid JSON" : location + ": invalid value"
        @unknown default:
            return "not valid JSON"
        }
    }
}
