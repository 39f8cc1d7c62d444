import Pipeline
import ServiceLifecycle

/// Shuts the pipeline client down when the service group stops; list it FIRST so it stops
/// last, after the application that uses it.
public struct PipelineLifecycle: Service {
    let pipeline: any EventPipeline

    /// Wraps a pipeline client.
    public init(pipeline: any EventPipeline) {
        self.pipeline = pipeline
    }

    public func run() async throws {
        try? await gracefulShutdown()
        await pipeline.shutdown()
    }
}
