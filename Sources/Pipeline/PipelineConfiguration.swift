/// Which adapter to run and how, read once from the environment by
/// ``PipelineConfiguration/init(environment:)``.
///
/// Keys:
/// - `STREAMING_PIPELINE_BACKEND`: `memory` (default), `redis` or `nats`.
/// - `STREAMING_REDIS_URL`: `redis://[:password@]host[:port][/db]`, default `redis://127.0.0.1:6379/0`.
/// - `STREAMING_NATS_URL`: `nats://[user:password@]host[:port]`, default `nats://127.0.0.1:4222`.
/// - `STREAMING_PIPELINE_RETENTION_SECONDS`: maximum age of stored events, default 86400.
/// - `STREAMING_PIPELINE_MAX_LENGTH`: maximum events per stream, default unlimited.
public struct PipelineConfiguration: Sendable, Equatable {
    /// The adapter behind ``EventPipeline``.
    public enum Backend: String, Sendable, CaseIterable {
        case memory
        case redis
        case nats
    }

    /// The adapter to build.
    public var backend: Backend
    /// Where Redis listens (used when `backend == .redis`).
    public var redisURL: RedisURL
    /// Where NATS listens (used when `backend == .nats`).
    public var natsURL: NatsURL
    /// Age, length and deduplication limits per stream.
    public var retention: PipelineRetention
    /// How long a publish waits for an unreachable broker before throwing `unavailable`.
    public var publishTimeout: Duration
    /// Events a subscriber may fall behind before it is dropped (memory) or the reader pauses (brokers).
    public var subscriberBufferCapacity: Int

    /// A configuration in code (tests, tools); services use ``init(environment:)``.
    public init(
        backend: Backend = .memory,
        redisURL: RedisURL = .default,
        natsURL: NatsURL = .default,
        retention: PipelineRetention = PipelineRetention(),
        publishTimeout: Duration = .seconds(5),
        subscriberBufferCapacity: Int = 65_536
    ) {
        self.backend = backend
        self.redisURL = redisURL
        self.natsURL = natsURL
        self.retention = retention
        self.publishTimeout = publishTimeout
        self.subscriberBufferCapacity = subscriberBufferCapacity
    }

    /// Reads the keys listed on the type; throws `invalidConfiguration` naming the variable at fault.
    public init(environment: [String: String]) throws(PipelineError) {
        self.init()
        func value(_ key: String) -> String? {
            guard let raw = environment[key]?.trimmingWhitespace, !raw.isEmpty else { return nil }
            return raw
        }
        if let raw = value("STREAMING_PIPELINE_BACKEND") {
            guard let backend = Backend(rawValue: raw.lowercased()) else {
                throw .invalidConfiguration("STREAMING_PIPELINE_BACKEND='\(raw)' is not one of memory, redis, nats")
            }
            self.backend = backend
        }
        if let raw = value("STREAMING_REDIS_URL") {
            do {
                redisURL = try RedisURL(raw)
            } catch {
                throw .invalidConfiguration("STREAMING_REDIS_URL: \(error.reason)")
            }
        }
        if let raw = value("STREAMING_NATS_URL") {
            do {
                natsURL = try NatsURL(raw)
            } catch {
                throw .invalidConfiguration("STREAMING_NATS_URL: \(error.reason)")
            }
        }
        if let raw = value("STREAMING_PIPELINE_RETENTION_SECONDS") {
            guard let seconds = Int64(raw), seconds > 0 else {
                throw .invalidConfiguration("STREAMING_PIPELINE_RETENTION_SECONDS='\(raw)' is not a positive whole number of seconds")
            }
            retention.maxAge = .seconds(seconds)
        }
        if let raw = value("STREAMING_PIPELINE_MAX_LENGTH") {
            guard let length = Int(raw), length > 0 else {
                throw .invalidConfiguration("STREAMING_PIPELINE_MAX_LENGTH='\(raw)' is not a positive whole number")
            }
            retention.maxLength = length
        }
    }
}
