import NIOCore
import Synchronization

/// The connections of one event loop that have messages waiting to be written directly.
///
/// A publish to a topic queues its buffer on every subscriber; without this queue each
/// subscriber would cost its own task (and often its own wake-up) on its event loop. With it,
/// a publish costs one task per event loop, which then writes every waiting connection in turn.
final class EventLoopDrainQueue: Sendable {
    /// The loop this queue drains on.
    let eventLoop: any EventLoop
    /// Where writes are counted: once per round here, once per drain outside a round.
    let metrics: WebSocketMetrics

    private struct State {
        var waiting: [WebSocketConnection] = []
        var scheduled = false
    }

    private let state = Mutex(State())

    init(eventLoop: any EventLoop, metrics: WebSocketMetrics) {
        self.eventLoop = eventLoop
        self.metrics = metrics
    }

    /// Adds a connection with messages to write; schedules the loop's task if none is pending.
    func request(_ connection: WebSocketConnection) {
        let schedule = state.withLock { state -> Bool in
            state.waiting.append(connection)
            guard !state.scheduled else { return false }
            state.scheduled = true
            return true
        }
        if schedule {
            eventLoop.execute { self.drainAll() }
        }
    }

    /// Writes every waiting connection (on the event loop).
    private func drainAll() {
        let waiting = state.withLock { state -> [WebSocketConnection] in
            state.scheduled = false
            let waiting = state.waiting
            state.waiting = []
            state.waiting.reserveCapacity(waiting.count)
            return waiting
        }
        var messages = 0
        var bytes = 0
        for connection in waiting {
            let written = connection.drain()
            messages += written.messages
            bytes += written.bytes
        }
        if messages > 0 { metrics.sent(messages: messages, bytes: bytes) }
    }
}
