import Foundation

/// Reads bars for replays and back-tests from CSV.
///
/// Format (documented in docs/inplay-detectors.md):
/// - line 1 is the header `timestamp,symbol,open,high,low,close,volume` (case and spaces
///   around names ignored, order fixed);
/// - `timestamp` is the bar's start, ISO-8601 with a zone (`2024-03-19T14:34:00Z`,
///   `2024-03-19T15:34:00+01:00`) or integer epoch seconds (`1710858840`);
/// - numbers use `.` as decimal separator; blank lines are skipped; `\r\n` is accepted;
///   fields are not quoted (symbols contain no comma).
/// Every bar gets the same duration (the CSV has no duration column).
public enum BarCSVLoader {
    /// The one header line the loader accepts.
    public static let header = "timestamp,symbol,open,high,low,close,volume"

    private static let columns = ["timestamp", "symbol", "open", "high", "low", "close", "volume"]

    /// Parses CSV text into bars in file order; throws on the first bad line.
    public static func parse(_ text: String, barDurationSeconds: Int64 = 60) throws(BarCSVError) -> [Bar] {
        guard !text.allSatisfy(\.isWhitespace) else { throw .missingHeader }
        var bars: [Bar] = []
        var lineNumber = 0
        var sawHeader = false
        // Splitting on Character.isNewline handles "\r\n", which Swift reads as one Character.
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            if !sawHeader {
                let names = line.split(separator: ",", omittingEmptySubsequences: false)
                    .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                guard names == columns else { throw .badHeader(found: String(line)) }
                sawHeader = true
                continue
            }
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            bars.append(try parseRow(line, lineNumber: lineNumber, barDurationSeconds: barDurationSeconds))
        }
        guard sawHeader else { throw .missingHeader }
        return bars
    }

    /// Reads and parses a CSV file.
    public static func load(path: String, barDurationSeconds: Int64 = 60) throws(BarCSVError) -> [Bar] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .unreadable(path: path, reason: "\(error)")
        }
        return try parse(text, barDurationSeconds: barDurationSeconds)
    }

    /// Reads one epoch-seconds or ISO-8601 timestamp field.
    public static func parseTimestamp(_ field: some StringProtocol) -> UTCTime? {
        if !field.isEmpty, field.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            guard field.utf8.count <= 11, let seconds = Int64(field) else { return nil }
            return UTCTime(secondsSinceEpoch: seconds)
        }
        return UTCTime(iso8601: field)
    }

    private static func parseRow(_ line: Substring, lineNumber: Int, barDurationSeconds: Int64) throws(BarCSVError) -> Bar {
        let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard fields.count == columns.count else { throw .wrongFieldCount(line: lineNumber, found: fields.count) }
        guard let start = parseTimestamp(fields[0]) else {
            let reason = fields[0].utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) && !fields[0].isEmpty
                ? "epoch seconds out of range (milliseconds are not accepted)"
                : "not an ISO-8601 time with a zone or integer epoch seconds"
            throw .badField(line: lineNumber, column: "timestamp", value: fields[0], reason: reason)
        }
        guard !fields[1].isEmpty else {
            throw .badField(line: lineNumber, column: "symbol", value: fields[1], reason: "empty symbol")
        }
        var numbers = [Double](repeating: 0, count: 5)
        for index in 2..<7 {
            guard let value = Double(fields[index]), value.isFinite else {
                throw .badField(line: lineNumber, column: columns[index], value: fields[index], reason: "not a finite number")
            }
            numbers[index - 2] = value
        }
        let bar = Bar(
            symbol: fields[1], start: start, durationSeconds: barDurationSeconds,
            open: numbers[0], high: numbers[1], low: numbers[2], close: numbers[3], volume: numbers[4]
        )
        if let problem = bar.validationProblem { throw .inconsistentBar(line: lineNumber, reason: problem) }
        return bar
    }
}
