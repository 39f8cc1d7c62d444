import Pipeline
import Testing

/// What only the in-process adapter promises: a slow subscriber is cut off with an error, never
/// left silently missing events, and publishers never wait for it.
@Suite("MemoryPipeline")
struct MemoryPipelineTests {
    @Test("a subscriber that overflows its buffer ends with slowSubscriber, after the events it did get")
    func slowSubscriberOverflow() async throws {
        let pipeline = MemoryPipeline(subscriberBufferCapacity: 16)
        let subscription = try await pipeline.subscribe("market.>", from: .new)
        for index in 1...40 {
            _ = try await pipeline.publish(subject: "market.m-1", payload: payload(index))
        }
        var received: [UInt64] = []
        do {
            for try await event in subscription { received.append(event.sequence) }
            Issue.record("the subscription ended without an error")
        } catch let error as PipelineError {
            #expect(error.isSlowSubscriber, "\(error)")
        }
        #expect(received == Array(1...16))
        let resumed = try await pipeline.subscribe("market.>", from: .after(received.last!))
        let rest = try await collect(resumed, count: 24)
        #expect(rest.map(\.sequence) == Array(17...40))
    }

    @Test("an idempotency key is remembered for the deduplication window, then forgotten, keys of both generations alike")
    func idempotencyKeysExpire() async throws {
        let pipeline = MemoryPipeline(retention: PipelineRetention(deduplicationWindow: .milliseconds(1_000)))
        let first = try await pipeline.publish(subject: "market.m-1", payload: payload(1), idempotencyKey: "k-1")
        #expect(try await pipeline.publish(subject: "market.m-1", payload: payload(2), idempotencyKey: "k-1") == first)
        // Within the window (from k-1), a new key; k-1 still answers with its sequence.
        try await Task.sleep(for: .milliseconds(150))
        let second = try await pipeline.publish(subject: "market.m-1", payload: payload(3), idempotencyKey: "k-2")
        #expect(second == first + 1)
        #expect(try await pipeline.publish(subject: "market.m-1", payload: payload(4), idempotencyKey: "k-1") == first)
        // More than twice the window later, both are forgotten: each publish is stored anew.
        try await Task.sleep(for: .milliseconds(2_100))
        let again = try await pipeline.publish(subject: "market.m-1", payload: payload(5), idempotencyKey: "k-1")
        #expect(again == second + 1)
        #expect(try await pipeline.publish(subject: "market.m-1", payload: payload(6), idempotencyKey: "k-2") == again + 1)
        // And the new ones are deduplicated again.
        #expect(try await pipeline.publish(subject: "market.m-1", payload: payload(7), idempotencyKey: "k-1") == again)
    }

    @Test("keys carried into the previous generation are still deduplicated")
    func keysSurviveOneRotation() async throws {
        let pipeline = MemoryPipeline(retention: PipelineRetention(deduplicationWindow: .seconds(3)))
        let first = try await pipeline.publish(subject: "chat.r", payload: payload(1), idempotencyKey: "old")
        // Past one window, not two: a publish now rotates the generations; "old" must survive it.
        try await Task.sleep(for: .milliseconds(3_300))
        let second = try await pipeline.publish(subject: "chat.r", payload: payload(2), idempotencyKey: "new")
        #expect(second == first + 1)
        #expect(try await pipeline.publish(subject: "chat.r", payload: payload(3), idempotencyKey: "old") == first)
        #expect(try await pipeline.publish(subject: "chat.r", payload: payload(4), idempotencyKey: "new") == second)
    }

    @Test("a cancelled subscriber is removed and publishing goes on")
    func cancelledSubscriber() async throws {
        let pipeline = MemoryPipeline()
        let subscription = try await pipeline.subscribe("chat.>", from: .new)
        let reader = Task {
            var count = 0
            for try await _ in subscription { count += 1 }
            return count
        }
        _ = try await pipeline.publish(subject: "chat.r", payload: payload(1))
        try await Task.sleep(for: .milliseconds(50))
        reader.cancel()
        let count = try await reader.value
        #expect(count == 1)
        let sequence = try await pipeline.publish(subject: "chat.r", payload: payload(2))
        #expect(sequence == 2)
    }

    @Test("subject filters: one token, the rest, exact, and refusals")
    func subjectFilters() throws {
        let star = try SubjectFilter(filter: "overlay.*")
        #expect(star.stream == "overlay")
        #expect(star.matches("overlay.o-1"))
        #expect(!star.matches("overlay.o-1.x"))
        #expect(!star.matches("overlay"))
        let rest = try SubjectFilter(filter: "marketdata.>")
        #expect(rest.matches("marketdata.bars.AAPL"))
        #expect(!rest.matches("marketdata"))
        #expect(!rest.matches("market.bars"))
        let middle = try SubjectFilter(filter: "marketdata.*.AAPL")
        #expect(middle.matches("marketdata.bars.AAPL"))
        #expect(!middle.matches("marketdata.bars.MSFT"))
        #expect(throws: PipelineError.invalidSubject("market.*")) { try SubjectFilter(subject: "market.*") }
        #expect(throws: PipelineError.invalidSubject("*.x")) { try SubjectFilter(filter: "*.x") }
    }
}
