import Foundation
import Logging

/// What the suite's log handlers (``TextLogHandler``, ``JSONLogHandler``) put on every line,
/// whatever the format: the time, and the logger's metadata merged with the event's.
enum LogLine {
    /// Now, ISO 8601 with milliseconds (`2026-11-22T01:50:00.123+0000`).
    static func timestamp() -> String {
        Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }

    /// The logger's metadata overridden by the event's, sorted by key.
    static func fields(_ metadata: Logger.Metadata, _ event: LogEvent) -> [(key: String, value: Logger.Metadata.Value)] {
        var fields = metadata
        if let extra = event.metadata { fields.merge(extra) { _, new in new } }
        return fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
