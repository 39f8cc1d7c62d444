import Logging

/// What every service reads for its HTTP side: where it listens, how it logs, how much body it
/// accepts.
///
/// Keys: `HOST` (default `0.0.0.0`), `PORT` (the service's default port), `LOG_LEVEL`
/// (`trace`...`critical`, default `info`), `LOG_FORMAT` (`text` or `json`, default `text`),
/// `HTTP_MAX_BODY_BYTES` (default 1 MiB).
public struct HTTPServerSettings: Sendable, Equatable {
    /// The address to bind.
    public var host: String
    /// The port to bind; 0 picks a free one (tests).
    public var port: Int
    /// The minimum level logged.
    public var logLevel: Logger.Level
    /// Plain text lines or one JSON object per line.
    public var logFormat: LogFormat
    /// Requests with a larger body get 413.
    public var maxBodyBytes: Int

    /// How log lines are written.
    public enum LogFormat: String, Sendable, Equatable {
        case text, json
    }

    public init(host: String = "0.0.0.0", port: Int, logLevel: Logger.Level = .info, logFormat: LogFormat = .text, maxBodyBytes: Int = 1 << 20) {
        self.host = host
        self.port = port
        self.logLevel = logLevel
        self.logFormat = logFormat
        self.maxBodyBytes = maxBodyBytes
    }

    /// Reads the settings, with `defaultPort` when `PORT` is unset.
    public init(environment: EnvironmentReader, defaultPort: Int) throws(ConfigurationError) {
        let levelText = environment.string("LOG_LEVEL", default: "info").lowercased()
        guard let level = Logger.Level(rawValue: levelText) else {
            throw .invalid("LOG_LEVEL", "expected trace, debug, info, notice, warning, error or critical, got '\(levelText)'")
        }
        let formatText = environment.string("LOG_FORMAT", default: "text").lowercased()
        guard let format = LogFormat(rawValue: formatText) else {
            throw .invalid("LOG_FORMAT", "expected text or json, got '\(formatText)'")
        }
        self.init(
            host: environment.string("HOST", default: "0.0.0.0"),
            port: try environment.int("PORT", default: defaultPort, range: 0...65535),
            logLevel: level,
            logFormat: format,
            maxBodyBytes: try environment.int("HTTP_MAX_BODY_BYTES", default: 1 << 20, range: 1...(1 << 30))
        )
    }
}
