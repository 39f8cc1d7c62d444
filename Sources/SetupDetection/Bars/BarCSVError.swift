/// Why a CSV file of bars was refused, naming the line (1-based, the header is line 1) and
/// the column so a replay file can be fixed by hand.
public struct BarCSVError: Error, Equatable, CustomStringConvertible {
    private enum Kind: Equatable {
        case missingHeader
        case badHeader(found: String)
        case wrongFieldCount(line: Int, found: Int)
        case badField(line: Int, column: String, value: String, reason: String)
        case inconsistentBar(line: Int, reason: String)
        case unreadable(path: String, reason: String)
    }

    private let kind: Kind

    /// The text is empty: not even a header line.
    public static var missingHeader: BarCSVError { .init(kind: .missingHeader) }
    /// The first line is not `timestamp,symbol,open,high,low,close,volume`.
    public static func badHeader(found: String) -> BarCSVError { .init(kind: .badHeader(found: found)) }
    /// A row does not have exactly seven comma-separated fields.
    public static func wrongFieldCount(line: Int, found: Int) -> BarCSVError {
        .init(kind: .wrongFieldCount(line: line, found: found))
    }
    /// One field cannot be read (not a number, not a time, empty symbol...).
    public static func badField(line: Int, column: String, value: String, reason: String) -> BarCSVError {
        .init(kind: .badField(line: line, column: column, value: value, reason: reason))
    }
    /// The fields read but do not make a bar (high below low, negative volume...).
    public static func inconsistentBar(line: Int, reason: String) -> BarCSVError {
        .init(kind: .inconsistentBar(line: line, reason: reason))
    }
    /// The file could not be read at all.
    public static func unreadable(path: String, reason: String) -> BarCSVError {
        .init(kind: .unreadable(path: path, reason: reason))
    }

    /// The 1-based line the error is about, when it is about one line.
    public var line: Int? {
        switch kind {
        case .missingHeader, .unreadable: nil
        case .badHeader: 1
        case .wrongFieldCount(let line, _), .badField(let line, _, _, _), .inconsistentBar(let line, _): line
        }
    }

    /// The column the error is about, when it is about one field.
    public var column: String? {
        if case .badField(_, let column, _, _) = kind { return column }
        return nil
    }

    public var description: String {
        switch kind {
        case .missingHeader:
            "bar CSV is empty: expected the header '\(BarCSVLoader.header)'"
        case .badHeader(let found):
            "line 1: expected the header '\(BarCSVLoader.header)', found '\(found)'"
        case .wrongFieldCount(let line, let found):
            "line \(line): expected 7 fields (\(BarCSVLoader.header)), found \(found)"
        case .badField(let line, let column, let value, let reason):
            "line \(line), column '\(column)': \(reason) (value '\(value)')"
        case .inconsistentBar(let line, let reason):
            "line \(line): inconsistent bar: \(reason)"
        case .unreadable(let path, let reason):
            "cannot read bar CSV '\(path)': \(reason)"
        }
    }
}
