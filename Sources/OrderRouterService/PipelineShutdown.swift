import Pipeline
import ServiceLifecycle

/// Closes the pipeline's broker connections at the end of a graceful shutdown (list it
/// before the application so it stops after it).
public struct PipelineShutdown: Service {
    /// The pipeline to shut down.
    public let pipeline: any EventPipeline

    /// A service that shuts `pipeline` down on graceful shutdown.
    public init(pipeline: any EventPipeline) {
        self.pipeline = pipeline
    }

    public func run() async throws {
        try? await gracefulShutdown()
        await pipeline.shutdown()
    }
}
