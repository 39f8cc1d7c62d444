import Pipeline
import ServiceLifecycle

/// Holds the pipeline for the life of the service group and shuts it down last: list it
/// first, so the application and its readers stop before the broker connections close.
public struct PipelineShutdownService: Service {
    private let pipeline: any EventPipeline

    /// Owns `pipeline`'s shutdown.
    public init(pipeline: any EventPipeline) {
        self.pipeline = pipeline
    }

    /// Waits for graceful shutdown, then stops the pipeline.
    public func run() async throws {
        try? await gracefulShutdown()
        await pipeline.shutdown()
    }
}
