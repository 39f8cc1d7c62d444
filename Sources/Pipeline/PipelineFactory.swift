import Logging

/// Builds the adapter that ``PipelineConfiguration`` names. Broker adapters start disconnected
/// and connect in the background: an unreachable broker never fails startup, it shows as
/// `isReady() == false` until it answers.
public enum PipelineFactory {
    /// Reads the environment (see ``PipelineConfiguration``) and builds the adapter.
    /// Throws `invalidConfiguration` for a bad backend name, URL or number.
    public static func make(environment: [String: String], logger: Logger) throws(PipelineError) -> any EventPipeline {
        make(configuration: try PipelineConfiguration(environment: environment), logger: logger)
    }

    /// Builds the adapter for an already validated configuration.
    public static func make(configuration: PipelineConfiguration, logger: Logger) -> any EventPipeline {
        switch configuration.backend {
        case .memory:
            return MemoryPipeline(retention: configuration.retention, subscriberBufferCapacity: configuration.subscriberBufferCapacity)
        case .redis:
            return RedisStreamsPipeline(configuration: configuration, logger: logger)
        case .nats:
            return NatsJetStreamPipeline(configuration: configuration, logger: logger)
        }
    }
}
