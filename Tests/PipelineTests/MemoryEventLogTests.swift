@testable import Pipeline
import Testing

/// The memory stream's event store in chunks: what is dropped and what is kept, across chunk
/// boundaries, down to empty and back.
@Suite("MemoryEventLog")
struct MemoryEventLogTests {
    static func event(_ sequence: UInt64) -> PipelineEvent {
        PipelineEvent(subject: "s.\(sequence % 7)", sequence: sequence, timestamp: Int64(sequence), payload: [UInt8(sequence % 251)])
    }

    /// The sequences the log holds, oldest first.
    static func sequences(_ log: MemoryEventLog) -> [UInt64] {
        (0..<log.count).map { log[$0].sequence }
    }

    @Test("drops across chunk boundaries keep exactly the newest events, in order")
    func dropsAcrossChunks() {
        var log = MemoryEventLog()
        var next: UInt64 = 1
        var oldest: UInt64 = 1
        // Appends and drops of sizes below, at and above a chunk (4096), as a stream trimmed
        // to its length limit sees them.
        for (appended, dropped) in [(5000, 1), (3000, 4095), (1, 4096), (10_000, 9000), (4096, 4097), (0, 3), (100, 20_000), (8193, 4096)] {
            for _ in 0..<appended {
                log.append(Self.event(next))
                next += 1
            }
            log.dropFirst(dropped)
            oldest = min(oldest + UInt64(dropped), next)
            #expect(log.count == Int(next - oldest))
            #expect(Self.sequences(log) == Array(oldest..<next))
        }
    }

    @Test("dropping more than it holds empties it; it fills again from there")
    func emptyAndRefill() {
        var log = MemoryEventLog()
        for sequence in 1...5000 { log.append(Self.event(UInt64(sequence))) }
        log.dropFirst(10_000)
        #expect(log.isEmpty && log.count == 0)
        for sequence in 5001...9200 { log.append(Self.event(UInt64(sequence))) }
        #expect(Self.sequences(log) == Array(5001...9200))
        #expect(log[0].payload == [UInt8(5001 % 251)])
    }

    @Test("a stream held to its length limit keeps the last events and answers replays from them")
    func lengthLimitThroughThePipeline() async throws {
        let pipeline = MemoryPipeline(retention: PipelineRetention(maxLength: 5000))
        for index in 1...20_000 {
            _ = try await pipeline.publish(subject: "limit.a", payload: [UInt8(index % 256)])
        }
        let page = try await pipeline.replay("limit.>", after: 0, limit: 10_000)
        #expect(page.firstAvailable == 15_001)
        #expect(page.events.map(\.sequence) == Array(15_001...20_000))
        let later = try await pipeline.replay("limit.>", after: 19_990, limit: 100)
        #expect(later.events.map(\.sequence) == Array(19_991...20_000))
    }
}
