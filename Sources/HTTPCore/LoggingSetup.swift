import Logging
import Synchronization

/// Bootstraps swift-log once per process from ``HTTPServerSettings`` (`LOG_LEVEL`,
/// `LOG_FORMAT`) and makes the service's root logger.
public enum LoggingSetup {
    private static let bootstrapped = Mutex(false)

    /// The root logger of `service`, with `service.name` metadata.
    public static func logger(service: String, settings: HTTPServerSettings) -> Logger {
        bootstrapped.withLock { done in
            guard !done else { return }
            done = true
            switch settings.logFormat {
            case .json: LoggingSystem.bootstrap { JSONLogHandler(label: $0) }
            case .text: LoggingSystem.bootstrap { TextLogHandler(label: $0) }
            }
        }
        var logger = Logger(label: service)
        logger.logLevel = settings.logLevel
        logger[metadataKey: "service.name"] = .string(service)
        return logger
    }
}
