import Pipeline
import Testing

/// `PipelineConfiguration(environment:)` and `PipelineFactory`: defaults, and refusals that name
/// the variable at fault.
@Suite("Pipeline configuration")
struct PipelineConfigurationTests {
    @Test("defaults: memory, 24 h retention, no length limit")
    func defaults() throws {
        let configuration = try PipelineConfiguration(environment: [:])
        #expect(configuration.backend == .memory)
        #expect(configuration.retention.maxAge == .seconds(86_400))
        #expect(configuration.retention.maxLength == nil)
        #expect(configuration.redisURL.description == "redis://127.0.0.1:6379/0")
        #expect(configuration.natsURL.description == "nats://127.0.0.1:4222")
        #expect(PipelineFactory.make(configuration: configuration, logger: testLogger) is MemoryPipeline)
    }

    @Test("every variable is read")
    func everyVariable() throws {
        let configuration = try PipelineConfiguration(environment: [
            "STREAMING_PIPELINE_BACKEND": "Redis",
            "STREAMING_REDIS_URL": "redis://:secret@cache.internal:6380/2",
            "STREAMING_NATS_URL": "nats://bus.internal",
            "STREAMING_PIPELINE_RETENTION_SECONDS": "3600",
            "STREAMING_PIPELINE_MAX_LENGTH": "10000",
        ])
        #expect(configuration.backend == .redis)
        #expect(configuration.redisURL.host == "cache.internal")
        #expect(configuration.redisURL.port == 6380)
        #expect(configuration.redisURL.database == 2)
        #expect(!configuration.redisURL.description.contains("secret"))
        #expect(configuration.natsURL.port == 4222)
        #expect(configuration.retention.maxAge == .seconds(3600))
        #expect(configuration.retention.maxLength == 10_000)
    }

    @Test("bad values throw invalidConfiguration naming the variable", arguments: [
        ("STREAMING_PIPELINE_BACKEND", "kafka"),
        ("STREAMING_REDIS_URL", "http://127.0.0.1:6379"),
        ("STREAMING_REDIS_URL", "redis://127.0.0.1:99999"),
        ("STREAMING_REDIS_URL", "redis://:6379"),
        ("STREAMING_REDIS_URL", "redis://127.0.0.1:6379/db"),
        ("STREAMING_REDIS_URL", "127.0.0.1:6379"),
        ("STREAMING_NATS_URL", "nats//127.0.0.1:4222"),
        ("STREAMING_NATS_URL", "nats://127.0.0.1:port"),
        ("STREAMING_PIPELINE_RETENTION_SECONDS", "a day"),
        ("STREAMING_PIPELINE_RETENTION_SECONDS", "0"),
        ("STREAMING_PIPELINE_MAX_LENGTH", "-5"),
    ])
    func badValues(variable: String, value: String) throws {
        do {
            _ = try PipelineFactory.make(environment: [variable: value], logger: testLogger)
            Issue.record("\(variable)=\(value) was accepted")
        } catch {
            #expect(error.description.contains(variable), "\(error)")
            #expect(error.description.contains("invalid pipeline configuration"))
        }
    }

    @Test("an unreachable broker does not fail startup")
    func unreachableDoesNotThrow() async throws {
        let pipeline = try PipelineFactory.make(environment: [
            "STREAMING_PIPELINE_BACKEND": "redis",
            "STREAMING_REDIS_URL": "redis://127.0.0.1:1/0",
        ], logger: testLogger)
        #expect(pipeline is RedisStreamsPipeline)
        #expect(await pipeline.isReady() == false)
        await pipeline.shutdown()
    }
}
