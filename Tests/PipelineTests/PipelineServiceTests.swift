import Pipeline
import Testing
import ServiceLifecycle
import ServiceLifecycleTestKit

/// `PipelineService` shuts its pipeline down on graceful shutdown.
@Suite("PipelineService")
struct PipelineServiceTests {
    @Test("graceful shutdown shuts the pipeline down")
    func gracefulShutdown() async throws {
        let pipeline = MemoryPipeline()
        let subscription = try await pipeline.subscribe("rooms.>", from: .new)
        _ = subscription
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await PipelineService(pipeline: pipeline).run() }
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
        // The memory adapter keeps working after shutdown (it owns no threads).
        #expect(try await pipeline.publish(subject: "rooms.r", payload: payload(1)) == 1)
    }
}
