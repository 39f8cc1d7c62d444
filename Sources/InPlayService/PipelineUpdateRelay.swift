import CoreMetrics
import Logging
import Pipeline
import ServiceLifecycle

/// Publishes every `watchlist.update` on the pipeline subject `inplay.{watchlistId}` so other
/// nodes and consumers get them, from its own task: ``offer(watchlistID:message:)`` never
/// waits. At most `capacity` updates wait; beyond, the oldest is dropped and counted.
public final class PipelineUpdateRelay: Service, Sendable {
    /// The subject prefix: updates go to `inplay.{watchlistId}`.
    public static let subjectPrefix = "inplay."

    private let pipeline: any EventPipeline
    private let metrics: InPlayMetrics
    private let logger: Logger
    private let stream: AsyncStream<(String, [UInt8])>
    private let continuation: AsyncStream<(String, [UInt8])>.Continuation

    /// A relay over `pipeline` holding at most `capacity` waiting updates.
    public init(pipeline: any EventPipeline, capacity: Int = 1024, metrics: InPlayMetrics, logger: Logger) {
        self.pipeline = pipeline
        self.metrics = metrics
        self.logger = logger
        (stream, continuation) = AsyncStream.makeStream(of: (String, [UInt8]).self, bufferingPolicy: .bufferingNewest(max(1, capacity)))
    }

    /// Queues an update for publication; never waits.
    public func offer(watchlistID: String, message: [UInt8]) {
        if case .dropped = continuation.yield((watchlistID, message)) {
            metrics.pipelinePublishDropped.increment()
        }
    }

    /// Publishes queued updates until graceful shutdown.
    public func run() async throws {
        for await (id, message) in stream.cancelOnGracefulShutdown() {
            do {
                _ = try await pipeline.publish(subject: Self.subjectPrefix + id, payload: message)
            } catch {
                metrics.pipelinePublishFailures.increment()
                logger.warning("cannot publish watchlist.update on the pipeline", metadata: ["watchlist.id": "\(id)", "error.message": "\(error)"])
            }
        }
    }
}
