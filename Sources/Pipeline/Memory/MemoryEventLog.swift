/// The retained events of one memory stream, oldest first, in chunks of 4096.
///
/// One array would need, now and then, to move every retained event at once: when it doubles,
/// and when the trimmed front is cut off (half of a stream held to its length limit, all its
/// payloads freed under the pipeline's lock). In chunks, appending fills the last chunk and
/// trimming gives back whole chunks, so neither touches more than 4096 events.
struct MemoryEventLog {
    private static let chunkSize = 4096

    /// Every chunk but the last is full; the live events start at `head` in the first.
    private var chunks: [[PipelineEvent]] = []
    private var head = 0

    /// Live events.
    var count: Int {
        guard let last = chunks.last else { return 0 }
        return (chunks.count - 1) * Self.chunkSize + last.count - head
    }

    var isEmpty: Bool { count == 0 }

    /// The `index`-th live event, 0 being the oldest.
    subscript(index: Int) -> PipelineEvent {
        let position = head + index
        return chunks[position / Self.chunkSize][position % Self.chunkSize]
    }

    mutating func append(_ event: PipelineEvent) {
        if chunks.isEmpty || chunks[chunks.count - 1].count == Self.chunkSize {
            var chunk: [PipelineEvent] = []
            chunk.reserveCapacity(Self.chunkSize)
            chunks.append(chunk)
        }
        chunks[chunks.count - 1].append(event)
    }

    /// Forgets the `count` oldest events (at most all of them).
    mutating func dropFirst(_ count: Int) {
        head += min(count, self.count)
        while head >= Self.chunkSize {
            chunks.removeFirst()
            head -= Self.chunkSize
        }
    }
}
