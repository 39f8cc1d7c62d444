import Logging

/// Writes one JSON object per line to standard error: `ts`, `level`, `logger`, `msg`, then the
/// metadata keys (`request.id`, `room.id`, ...). Chosen with `LOG_FORMAT=json`.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    private let label: String

    public init(label: String) {
        self.label = label
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line: [UInt8] = []
        line.reserveCapacity(256)
        line += Array(#"{"ts":"#.utf8)
        JSONText.appendString(LogLine.timestamp(), to: &line)
        line += Array(#","level":"#.utf8)
        JSONText.appendString(event.level.rawValue, to: &line)
        line += Array(#","logger":"#.utf8)
        JSONText.appendString(label, to: &line)
        line += Array(#","msg":"#.utf8)
        JSONText.appendString(event.message.description, to: &line)
        for (key, value) in LogLine.fields(metadata, event) {
            line.append(UInt8(ascii: ","))
            JSONText.appendString(key, to: &line)
            line.append(UInt8(ascii: ":"))
            JSONText.appendString(value.description, to: &line)
        }
        line += Array("}\n".utf8)
        FileOutput.standardError(line)
    }
}
