import Foundation

/// One accepted command as the service journals it: its sequence number, the engine time it
/// ran at (so replay reproduces timestamps and 24 h volumes) and the command.
///
/// One JSON line per entry: `{"command":{...},"sequence":1,"timestamp":1708293600000}`
/// (sorted keys, decimals as strings, so the line is byte-stable).
public struct JournalEntry: Codable, Hashable, Sendable {
    /// 1, 2, 3... with no gaps among accepted commands.
    public var sequence: UInt64
    /// Engine time (ms) the command was applied at.
    public var timestamp: Int64
    /// The command.
    public var command: EngineCommand

    /// An entry.
    public init(sequence: UInt64, timestamp: Int64, command: EngineCommand) {
        self.sequence = sequence
        self.timestamp = timestamp
        self.command = command
    }

    /// The entry as one line of JSON (no trailing newline).
    public func jsonLine() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// Parses a line written by ``jsonLine()``.
    public init(jsonLine: String) throws {
        self = try JSONDecoder().decode(JournalEntry.self, from: Data(jsonLine.utf8))
    }
}
