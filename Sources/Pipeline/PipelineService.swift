import ServiceLifecycle

/// Runs a pipeline as a swift-service-lifecycle `Service`: list it in the `ServiceGroup` before
/// the services that publish or subscribe, and graceful shutdown stops its threads and broker
/// connections after them.
public struct PipelineService: Service {
    /// The pipeline this service owns.
    public let pipeline: any EventPipeline

    /// Owns `pipeline` for the lifetime of the service group.
    public init(pipeline: any EventPipeline) {
        self.pipeline = pipeline
    }

    /// Waits for graceful shutdown (or cancellation), then shuts the pipeline down.
    public func run() async throws {
        try? await gracefulShutdown()
        await pipeline.shutdown()
    }
}
