import Pipeline
import ServiceLifecycle

/// Runs the pipeline's lifetime as a `Service`: listed first in the group, it is the last to
/// stop, and then stops the broker connections.
public struct PipelineLifecycle: Service {
    private let pipeline: any EventPipeline

    /// Owns the shutdown of `pipeline`.
    public init(pipeline: any EventPipeline) {
        self.pipeline = pipeline
    }

    /// Waits for graceful shutdown, then stops the pipeline.
    public func run() async throws {
        try? await gracefulShutdown()
        await pipeline.shutdown()
    }
}
