import Logging
import ServiceLifecycle
import UnixSignals
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a service's application and its long-lived clients in one `ServiceGroup` that shuts
/// down gracefully on SIGTERM or SIGINT: in-flight requests finish, WebSockets close with
/// 1001, then the clients listed before the application stop (reverse order).
public enum ServiceRunner {
    public static func run(_ services: [any Service], logger: Logger) async throws {
        let group = ServiceGroup(
            configuration: .init(
                services: services.map { .init(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                cancellationSignals: [],
                logger: logger
            )
        )
        try await group.run()
    }

    /// Prints a start-up failure naming what is wrong and exits non-zero.
    public static func fail(_ error: any Error, service: String) -> Never {
        let message = "\(service): cannot start: \(error)\n"
        FileOutput.standardError(message)
        exit(78)
    }
}
