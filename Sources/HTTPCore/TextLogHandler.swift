import Logging

/// Writes one human-readable line per event to standard error:
/// `2026-11-22T01:50:00.123+0000 info order-router: request.id=... message`.
/// The default `LOG_FORMAT=text`.
///
/// swift-log's `StreamLogHandler` re-renders its whole metadata every time a key is set, and
/// every request sets one (`request.id`); this handler renders only when a line is written,
/// so a request that logs nothing pays nothing for its metadata.
public struct TextLogHandler: LogHandler {
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
        FileOutput.standardError(Array(line(for: event, timestamp: LogLine.timestamp()).utf8))
    }

    /// The line written for `event`: time, level, label, metadata keys in order, message.
    func line(for event: LogEvent, timestamp: String) -> String {
        var line = "\(timestamp) \(event.level) \(label):"
        for (key, value) in LogLine.fields(metadata, event) {
            line += " \(key)=\(value)"
        }
        line += " \(event.message)\n"
        return line
    }
}
