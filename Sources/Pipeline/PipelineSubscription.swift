/// A live subscription: an `AsyncSequence` of ``PipelineEvent`` that ends when the consuming
/// task is cancelled or the subscription is dropped. Adapters build it from a
/// producer that yields events in order.
public struct PipelineSubscription: AsyncSequence, Sendable {
    public typealias Element = PipelineEvent

    private let stream: AsyncThrowingStream<PipelineEvent, any Error>

    /// Wraps a stream of events. Adapters own the producing side.
    public init(_ stream: AsyncThrowingStream<PipelineEvent, any Error>) {
        self.stream = stream
    }

    public func makeAsyncIterator() -> AsyncThrowingStream<PipelineEvent, any Error>.AsyncIterator {
        stream.makeAsyncIterator()
    }
}
