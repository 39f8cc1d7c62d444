import BrokerTestSupport
import Pipeline
import Testing

/// The behaviour every adapter must share, run against memory, a real redis-server and a real
/// nats-server (each test starts its own broker).
@Suite("EventPipeline contract", .serialized)
struct PipelineContractTests {
    @Test("order kept, nothing lost, replay equals what live subscribers saw", arguments: TestBackend.allCases)
    func orderAndReplay(backend: TestBackend) async throws {
        try await withPipelines(backend) { pipelines, _ in
            let pipeline = pipelines[0]
            let subscription = try await pipeline.subscribe("market.>", from: .new)
            let total = 600
            // Sequential publishes from one task, then concurrent ones from many.
            for index in 0..<100 {
                _ = try await pipeline.publish(subject: "market.m-\(index % 3)", payload: payload(index))
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<10 {
                    group.addTask {
                        for index in 0..<50 {
                            _ = try await pipeline.publish(subject: "market.m-\(worker)", payload: payload(100 + worker * 50 + index))
                        }
                    }
                }
                try await group.waitForAll()
            }
            let live = try await collect(subscription, count: total - 100 + 100)
            #expect(live.map(\.sequence) == Array(1...UInt64(total)))
            #expect(Set(live.map { String(decoding: $0.payload, as: UTF8.self) }).count == total)
            var replayed: [PipelineEvent] = []
            var after: UInt64 = 0
            while true {
                let page = try await pipeline.replay("market.>", after: after, limit: 250)
                if page.events.isEmpty { break }
                replayed += page.events
                after = page.nextAfter
            }
            #expect(replayed == live)
            let page = try await pipeline.replay("market.>", after: 0, limit: 1)
            #expect(page.firstAvailable == 1)
            #expect(page.lastSequence == UInt64(total))
        }
    }

    @Test("wildcards: * is one token, > is the rest, streams are separate", arguments: TestBackend.allCases)
    func wildcards(backend: TestBackend) async throws {
        try await withPipelines(backend) { pipelines, _ in
            let pipeline = pipelines[0]
            let star = try await pipeline.subscribe("overlay.*", from: .new)
            let rest = try await pipeline.subscribe("overlay.>", from: .new)
            let exact = try await pipeline.subscribe("overlay.a", from: .new)
            _ = try await pipeline.publish(subject: "overlay.a", payload: payload(1))
            _ = try await pipeline.publish(subject: "overlay.a.x", payload: payload(2))
            _ = try await pipeline.publish(subject: "chat.a", payload: payload(3))
            _ = try await pipeline.publish(subject: "overlay.b", payload: payload(4))
            let starEvents = try await collect(star, count: 2)
            let restEvents = try await collect(rest, count: 3)
            let exactEvents = try await collect(exact, count: 1)
            #expect(starEvents.map(\.subject) == ["overlay.a", "overlay.b"])
            #expect(starEvents.map(\.sequence) == [1, 3])
            #expect(restEvents.map(\.subject) == ["overlay.a", "overlay.a.x", "overlay.b"])
            #expect(exactEvents.map(\.subject) == ["overlay.a"])
            let chat = try await pipeline.replay("chat.*", after: 0, limit: 10)
            #expect(chat.events.map(\.subject) == ["chat.a"])
            #expect(chat.events.map(\.sequence) == [1])
            let replayStar = try await pipeline.replay("overlay.*", after: 0, limit: 10)
            #expect(replayStar.events == starEvents)
        }
    }

    @Test("idempotency keys deduplicate within the window", arguments: TestBackend.allCases)
    func idempotency(backend: TestBackend) async throws {
        try await withPipelines(backend) { pipelines, _ in
            let pipeline = pipelines[0]
            let first = try await pipeline.publish(subject: "rooms.r-1", payload: payload(1), idempotencyKey: "report-42")
            let other = try await pipeline.publish(subject: "rooms.r-1", payload: payload(2), idempotencyKey: "report-43")
            let again = try await pipeline.publish(subject: "rooms.r-1", payload: payload(3), idempotencyKey: "report-42")
            #expect(first == 1)
            #expect(other == 2)
            #expect(again == first)
            let page = try await pipeline.replay("rooms.>", after: 0, limit: 10)
            #expect(page.events.map(\.payload) == [payload(1), payload(2)])
        }
    }

    @Test("retention trims by length", arguments: TestBackend.allCases)
    func retentionByLength(backend: TestBackend) async throws {
        try await withPipelines(backend, retention: PipelineRetention(maxLength: 100)) { pipelines, _ in
            let pipeline = pipelines[0]
            for index in 1...500 {
                _ = try await pipeline.publish(subject: "inplay.w-1", payload: payload(index))
            }
            let page = try await pipeline.replay("inplay.>", after: 0, limit: 1000)
            // Redis trims with MAXLEN ~ (whole nodes), so allow some slack above the limit.
            #expect(page.events.count >= 100)
            #expect(page.events.count < 500)
            #expect(page.firstAvailable > 1)
            #expect(page.events.first?.sequence == page.firstAvailable)
            #expect(page.events.last?.sequence == 500)
            #expect(page.lastSequence == 500)
            #expect(page.events.map(\.sequence) == Array(page.firstAvailable...500))
        }
    }

    @Test("retention trims by age", arguments: TestBackend.allCases)
    func retentionByAge(backend: TestBackend) async throws {
        try await withPipelines(backend, retention: PipelineRetention(maxAge: .seconds(1))) { pipelines, _ in
            let pipeline = pipelines[0]
            for index in 1...5 {
                _ = try await pipeline.publish(subject: "marketdata.bars.AAPL", payload: payload(index))
            }
            try await Task.sleep(for: .milliseconds(1500))
            let fresh = try await pipeline.publish(subject: "marketdata.bars.AAPL", payload: payload(6))
            #expect(fresh == 6)
            var page = try await pipeline.replay("marketdata.>", after: 0, limit: 100)
            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(5)
            while page.events.count > 1 && clock.now < deadline {
                try await Task.sleep(for: .milliseconds(200))
                page = try await pipeline.replay("marketdata.>", after: 0, limit: 100)
            }
            #expect(page.events.map(\.sequence) == [6])
            #expect(page.firstAvailable == 6)
        }
    }

    @Test("subscribe from .after(N) gives exactly the missed events, then live ones", arguments: TestBackend.allCases)
    func subscribeAfter(backend: TestBackend) async throws {
        try await withPipelines(backend) { pipelines, _ in
            let pipeline = pipelines[0]
            for index in 1...10 {
                _ = try await pipeline.publish(subject: "chat.room-\(index % 2)", payload: payload(index))
            }
            let subscription = try await pipeline.subscribe("chat.>", from: .after(4))
            for index in 11...13 {
                _ = try await pipeline.publish(subject: "chat.room-1", payload: payload(index))
            }
            let events = try await collect(subscription, count: 9)
            #expect(events.map(\.sequence) == Array(5...13))
            #expect(events.map(\.payload) == (5...13).map { payload($0) })
        }
    }

    @Test("two instances on one broker see each other's publishes with one sequence", arguments: TestBackend.brokers)
    func twoInstances(backend: TestBackend) async throws {
        try await withPipelines(backend, instances: 2) { pipelines, _ in
            let (first, second) = (pipelines[0], pipelines[1])
            let onFirst = try await first.subscribe("market.>", from: .new)
            let onSecond = try await second.subscribe("market.>", from: .new)
            let sequences = try await withThrowingTaskGroup(of: [UInt64].self) { group in
                for (instance, pipeline) in [first, second].enumerated() {
                    group.addTask {
                        var sequences: [UInt64] = []
                        for index in 0..<200 {
                            sequences.append(try await pipeline.publish(subject: "market.m-\(instance)", payload: payload(instance * 1000 + index)))
                        }
                        return sequences
                    }
                }
                var all: [UInt64] = []
                for try await part in group {
                    #expect(part == part.sorted())
                    all += part
                }
                return all
            }
            #expect(sequences.sorted() == Array(1...400))
            let seenFirst = try await collect(onFirst, count: 400)
            let seenSecond = try await collect(onSecond, count: 400)
            #expect(seenFirst.map(\.sequence) == Array(1...400))
            #expect(seenFirst == seenSecond)
            #expect(Set(seenFirst.map(\.subject)) == ["market.m-0", "market.m-1"])
        }
    }

    @Test("broker subscribers behind their buffer are paused, not dropped", arguments: TestBackend.brokers)
    func brokerBackPressure(backend: TestBackend) async throws {
        try await withPipelines(backend, subscriberBufferCapacity: 8) { pipelines, _ in
            let pipeline = pipelines[0]
            let subscription = try await pipeline.subscribe("inplay.>", from: .new)
            for index in 1...300 {
                _ = try await pipeline.publish(subject: "inplay.w-\(index % 3)", payload: payload(index))
            }
            var sequences: [UInt64] = []
            for try await event in subscription {
                sequences.append(event.sequence)
                if sequences.count % 50 == 0 { try await Task.sleep(for: .milliseconds(20)) }
                if sequences.count == 300 { break }
            }
            #expect(sequences == Array(1...300))
        }
    }

    @Test("a batch is stored in order, keyed events dedupe (within the batch too), a bad subject refuses it all", arguments: TestBackend.allCases)
    func batchPublish(backend: TestBackend) async throws {
        try await withPipelines(backend) { pipelines, _ in
            let pipeline = pipelines[0]
            let markets = try await pipeline.subscribe("market.>", from: .new)
            let before = try await pipeline.publish(subject: "market.m-0", payload: payload(0), idempotencyKey: "k-old")
            #expect(before == 1)
            var batch: [OutgoingEvent] = []
            for index in 1...200 {
                let subject = index % 2 == 0 ? "market.m-\(index % 4)" : "chat.c-1"
                batch.append(OutgoingEvent(subject: subject, payload: payload(index), idempotencyKey: index % 10 == 0 ? "k-\(index)" : nil))
            }
            // Retries of a key stored earlier and of a key earlier in the same batch.
            batch.append(OutgoingEvent(subject: "market.m-0", payload: payload(900), idempotencyKey: "k-old"))
            batch.append(OutgoingEvent(subject: "market.m-2", payload: payload(901), idempotencyKey: "k-10"))
            let sequences = try await pipeline.publish(batch)
            #expect(sequences.count == 202)
            // market events 2, 4, ... 200 took sequences 2...101; chat events 1...100.
            #expect(stride(from: 1, through: 199, by: 2).map { sequences[$0] } == Array(2...101))
            #expect(stride(from: 0, through: 198, by: 2).map { sequences[$0] } == Array(1...100))
            #expect(sequences[200] == 1)
            #expect(sequences[201] == sequences[9])
            let live = try await collect(markets, count: 101)
            #expect(live.map(\.sequence) == Array(1...101))
            #expect(live.dropFirst().map(\.payload) == stride(from: 2, through: 200, by: 2).map { payload($0) })
            let chat = try await pipeline.replay("chat.>", after: 0, limit: 500)
            #expect(chat.events.map(\.payload) == stride(from: 1, through: 199, by: 2).map { payload($0) })

            #expect(try await pipeline.publish([]) == [])
            await #expect(throws: PipelineError.invalidSubject("market..x")) {
                _ = try await pipeline.publish([OutgoingEvent(subject: "market.m-9", payload: payload(1)), OutgoingEvent(subject: "market..x", payload: payload(2))])
            }
            let after = try await pipeline.replay("market.>", after: 101, limit: 10)
            #expect(after.events.isEmpty)
        }
    }

    @Test("concurrent batches: each call's events are contiguous and in order", arguments: TestBackend.allCases)
    func concurrentBatches(backend: TestBackend) async throws {
        try await withPipelines(backend) { pipelines, _ in
            let pipeline = pipelines[0]
            let subscription = try await pipeline.subscribe("inplay.>", from: .new)
            let calls = try await withThrowingTaskGroup(of: [[UInt64]].self) { group in
                for worker in 0..<4 {
                    group.addTask {
                        var calls: [[UInt64]] = []
                        for round in 0..<5 {
                            let batch = (0..<50).map { OutgoingEvent(subject: "inplay.w-\(worker)", payload: payload(worker * 1000 + round * 50 + $0)) }
                            calls.append(try await pipeline.publish(batch))
                        }
                        return calls
                    }
                }
                var all: [[UInt64]] = []
                for try await part in group { all += part }
                return all
            }
            for call in calls {
                #expect(call == Array(call[0]..<(call[0] + 50)))
            }
            #expect(calls.flatMap { $0 }.sorted() == Array(1...1000))
            let live = try await collect(subscription, count: 1000)
            #expect(live.map(\.sequence) == Array(1...1000))
            for call in calls {
                let payloads = live[Int(call[0] - 1)..<Int(call[0] + 49)].map(\.payload)
                let first = payloads[payloads.startIndex]
                let number = Int(String(decoding: first, as: UTF8.self).dropFirst(5).dropLast())!
                #expect(payloads == (number..<(number + 50)).map { payload($0) })
            }
        }
    }

    @Test("invalid subjects and filters are refused", arguments: TestBackend.allCases)
    func invalidSubjects(backend: TestBackend) async throws {
        try await withPipelines(backend) { pipelines, _ in
            let pipeline = pipelines[0]
            for subject in ["", "market..m-1", ".market", "market.", "market.*", "market.>", "*.x", "Market.m-1", "market.m 1"] {
                await #expect(throws: PipelineError.invalidSubject(subject)) {
                    _ = try await pipeline.publish(subject: subject, payload: [])
                }
            }
            for filter in [">", "*", "market.>.x", "", "a..b"] {
                await #expect(throws: PipelineError.invalidSubject(filter)) {
                    _ = try await pipeline.subscribe(filter, from: .new)
                }
                await #expect(throws: PipelineError.invalidSubject(filter)) {
                    _ = try await pipeline.replay(filter, after: 0, limit: 1)
                }
            }
        }
    }
}
