import NIOCore
import NIOWebSocket
import Synchronization

/// The outbound log of one event loop: every message bound for a connection that writes
/// directly on this loop goes through it, in the order it was queued.
///
/// A publish to a topic costs one entry per event loop, not one per subscriber: the entry
/// holds the loop's subscribers, and the loop writes them all when it drains. Consecutive
/// publishes to the same subscribers are copied once into one buffer, which every caught-up
/// subscriber on the loop then writes as is (one write, one flush each). A subscriber with
/// messages still waiting (its socket is full, or a message to it alone is ahead) gets the
/// run appended to its own queue instead, so each connection still sees one order.
final class EventLoopDrainQueue: Sendable {
    /// The loop this queue drains on.
    let eventLoop: any EventLoop
    /// Where writes are counted, once per drain round.
    let metrics: WebSocketMetrics
    /// Called when a connection overflows its queue during a drain (a slow consumer closed).
    private let onSlowConsumer: @Sendable () -> Void

    /// One message, or a connection's close, in queueing order.
    enum Entry {
        /// A message for these subscribers of a topic (all on this loop). Consecutive entries
        /// with the same non-zero `membership` go to the same subscribers.
        case topic(subscribers: [WebSocketConnection], message: WebSocketConnection.Outbound, membership: UInt64)
        /// A message for one connection.
        case single(WebSocketConnection, WebSocketConnection.Outbound)
        /// The connection closes after what was queued before this entry.
        case close(WebSocketConnection, code: WebSocketErrorCode, reason: String)
    }

    private struct State {
        var entries: [Entry] = []
        var scheduled = false
        /// When the next drain may start (see ``pause(after:)``).
        var nextDrain: NIODeadline = .uptimeNanoseconds(0)
    }

    /// How long the loop waits after a drain before the next one, as a multiple of the drain's
    /// own duration, and at most how long.
    static let pauseFactor: Int64 = 2
    static let maxPause: TimeAmount = .milliseconds(20)

    /// Once a drain wrote this many messages per socket on average, the next one does not wait.
    static let gatheredEnough = 16

    /// The pause after a drain that took `duration` and wrote `messagesPerSocket` on average.
    /// While messages come faster than a drain takes, the loop gathers them instead of writing
    /// every socket once per message: the sockets then get several messages per write (the
    /// system calls, not the bytes, are the cost), and the loop keeps time for its other
    /// sockets (a producer's requests come in on the same loops). Once drains carry enough per
    /// write, waiting would only add latency (a backlog is written at once); a message that
    /// follows a quiet spell is written at once too.
    static func pause(after duration: TimeAmount, messagesPerSocket: Int) -> TimeAmount {
        guard messagesPerSocket < gatheredEnough else { return .zero }
        return min(.nanoseconds(duration.nanoseconds * pauseFactor), maxPause)
    }

    private let state = Mutex(State())

    init(eventLoop: any EventLoop, metrics: WebSocketMetrics, onSlowConsumer: @escaping @Sendable () -> Void) {
        self.eventLoop = eventLoop
        self.metrics = metrics
        self.onSlowConsumer = onSlowConsumer
    }

    /// Adds an entry; schedules the loop's drain if none is pending. Never waits for a client.
    func append(_ entry: Entry) {
        let nextDrain = state.withLock { state -> NIODeadline? in
            state.entries.append(entry)
            guard !state.scheduled else { return nil }
            state.scheduled = true
            return state.nextDrain
        }
        guard let nextDrain else { return }
        if nextDrain > eventLoop.now {
            eventLoop.scheduleTask(deadline: nextDrain) { self.drainAll() }
        } else {
            eventLoop.execute { self.drainAll() }
        }
    }

    /// Writes every entry queued so far (on the event loop).
    private func drainAll() {
        let drainStart = eventLoop.now
        // `scheduled` stays set while the drain runs: what comes meanwhile waits for the pause.
        let entries = state.withLock { state -> [Entry] in
            var entries: [Entry] = []
            swap(&entries, &state.entries)
            state.entries.reserveCapacity(entries.count)
            return entries
        }
        var round = DrainRound()
        var index = entries.startIndex
        while index < entries.endIndex {
            switch entries[index] {
            case .single(let connection, let message):
                if let relay = connection.queueOnLoop(message) { round.touch(connection, relay: relay, needsDrain: true) }
                index += 1
            case .close(let connection, let code, let reason):
                connection.beginClose(code: code, reason: reason)
                index += 1
            case .topic(let subscribers, _, let membership):
                var end = index + 1
                while membership != 0, end < entries.endIndex,
                      case .topic(_, _, let next) = entries[end], next == membership {
                    end += 1
                }
                deliver(entries[index..<end], to: subscribers, in: &round)
                index = end
            }
        }
        for (connection, relay) in round.touched {
            let written = relay.roundNeedsDrain ? connection.drain() : (messages: 0, bytes: 0)
            round.messages += written.messages
            round.bytes += written.bytes
            if written.messages > 0 { round.writes += 1 }
            // A drain that wrote flushed; otherwise flush the shared bytes written this round
            // (its queue may be held back by a full socket or a close in progress).
            if written.messages == 0 { relay.flush() }
            relay.roundNeedsDrain = false
            relay.inRound = false
        }
        if round.messages > 0 { metrics.sent(messages: round.messages, bytes: round.bytes) }
        let drainEnd = eventLoop.now
        let nextDrain = drainEnd + Self.pause(after: drainEnd - drainStart, messagesPerSocket: round.messages / max(1, round.writes))
        let more = state.withLock { state -> Bool in
            state.nextDrain = nextDrain
            state.scheduled = !state.entries.isEmpty
            return state.scheduled
        }
        if more {
            eventLoop.scheduleTask(deadline: nextDrain) { self.drainAll() }
        }
    }

    /// Writes a run of topic messages for the same subscribers: one buffer for the loop, written
    /// as is to each caught-up subscriber, queued on the others.
    private func deliver(_ run: ArraySlice<Entry>, to subscribers: [WebSocketConnection], in round: inout DrainRound) {
        var messages: [WebSocketConnection.Outbound] = []
        messages.reserveCapacity(run.count)
        var payloadBytes = 0
        for entry in run {
            guard case .topic(_, let message, _) = entry else { continue }
            messages.append(message)
            payloadBytes += message.buffer.readableBytes
        }
        // A copy of the loop's own: the subscribers' writes retain it from this thread only.
        let combined = WebSocketConnection.Outbound.frames(of: messages)
        for connection in subscribers {
            switch connection.deliverOnLoop(messages) {
            case .write(let relay):
                guard relay.writeShared(combined) else { continue }
                round.touch(connection, relay: relay, needsDrain: false)
                round.messages += messages.count
                round.writes += 1
                round.bytes += payloadBytes
            case .queued(let relay):
                round.touch(connection, relay: relay, needsDrain: true)
            case .overflowed:
                onSlowConsumer()
            case .dropped:
                break
            }
        }
    }
}

/// What one drain of an ``EventLoopDrainQueue`` touched and wrote.
private struct DrainRound {
    /// Connections written or queued this round, each once, to flush or drain at the end.
    var touched: [(WebSocketConnection, DirectWriteRelay)] = []
    var messages = 0
    /// Socket writes (flushes) that carried messages.
    var writes = 0
    var bytes = 0

    mutating func touch(_ connection: WebSocketConnection, relay: DirectWriteRelay, needsDrain: Bool) {
        if needsDrain { relay.roundNeedsDrain = true }
        guard !relay.inRound else { return }
        relay.inRound = true
        touched.append((connection, relay))
    }
}
