import Logging
import Metrics
import LiveRooms
import NIOCore
import Pipeline
import ServiceLifecycle
import Synchronization
import WebSocketCore

/// Reads every room event from the pipeline (`rooms.>`) and fans it out to this process's
/// viewers through one ``TopicHub`` (topic = room), encoding each event once. It also applies
/// session and moderation events to ``RoomState`` (so every process agrees) and enforces bans
/// (close 4003) and warnings (target only).
///
/// Resuming viewers (``attach(_:viewer:room:after:)`` with a sequence) are replayed from the
/// pipeline while live events are buffered for them, then switched to live under the same lock
/// the fan-out holds, so they see no gap and no duplicate.
final class RoomFanout: Service, Sendable {
    private struct Pending {
        /// The viewer's socket.
        var connection: WebSocketConnection
        /// The viewer's id (warnings are filtered on it).
        var viewer: String
        /// Live events fanned out while the replay runs.
        var buffer: [(sequence: UInt64, frame: ByteBuffer)] = []
        /// Set once replayed: the fan-out has not reached this sequence yet, so the live events up
        /// to it are skipped (already replayed), and the next one moves the viewer to the hub.
        var skipThrough: UInt64? = nil
    }

    private struct Registry {
        /// Viewers catching up, by room and connection id.
        var pending: [String: [UInt64: Pending]] = [:]
        /// The sequence of the last event fanned out.
        var lastFannedOut: UInt64 = 0
    }

    private let hub: TopicHub
    private let pipeline: any EventPipeline
    private let state: RoomState
    private let metrics: StreamingMetrics
    private let logger: Logger
    private let registry = Mutex(Registry())
    private let subscribed = Atomic<Bool>(false)
    private let replayPageSize = 500

    /// A fan-out into `hub` of what `pipeline` carries on `rooms.>`.
    init(hub: TopicHub, pipeline: any EventPipeline, state: RoomState, metrics: StreamingMetrics, logger: Logger) {
        self.hub = hub
        self.pipeline = pipeline
        self.state = state
        self.metrics = metrics
        self.logger = logger
    }

    /// Whether the pipeline subscription is in place (part of `/readyz`).
    var isSubscribed: Bool { subscribed.load(ordering: .relaxed) }

    // MARK: Service

    /// Subscribes and fans out until graceful shutdown.
    func run() async throws {
        await cancelWhenGracefulShutdown { [self] in
            await subscribeLoop()
        }
    }

    /// Subscribes to `rooms.>` and fans out until cancelled, resubscribing after the last
    /// event seen when the subscription ends (broker restart, slow subscriber).
    private func subscribeLoop() async {
        var start = await initialStart()
        var backoff = Duration.milliseconds(100)
        while !Task.isCancelled {
            do {
                let subscription = try await pipeline.subscribe("rooms.>", from: start)
                subscribed.store(true, ordering: .relaxed)
                backoff = .milliseconds(100)
                for try await event in subscription {
                    handle(event)
                    start = .after(event.sequence)
                }
            } catch {
                if Task.isCancelled { break }
                logger.warning("room subscription ended; resubscribing", metadata: ["error": "\(error)"])
            }
            subscribed.store(false, ordering: .relaxed)
            if Task.isCancelled { break }
            try? await Task.sleep(for: backoff)
            backoff = min(backoff * 2, .seconds(2))
        }
    }

    /// Where the subscription starts: after the last state event this process applied when the
    /// pipeline still holds it (a restarted process catches up on moderation and sessions it
    /// missed), else only new events.
    private func initialStart() async -> SubscriptionStart {
        let applied = state.lastAppliedSequence
        guard applied > 0, let page = try? await pipeline.replay("rooms.>", after: 0, limit: 1), page.lastSequence >= applied else {
            return .new
        }
        return .after(applied)
    }

    // MARK: Fan-out

    /// Applies and fans out one room event.
    func handle(_ event: PipelineEvent) {
        guard let room = RoomName.room(ofSubject: event.subject) else { return }
        let kind = RoomEventKind.of(event.payload)
        switch kind {
        case .moderation(let command):
            state.apply(moderation: command, sequence: event.sequence, now: WallTime.milliseconds())
        case .session(let session):
            state.apply(session: session, sequence: event.sequence)
        case .plain:
            break
        }
        let frame = RoomEnvelope.event(room: room, sequence: event.sequence, timestamp: event.timestamp, payload: event.payload)
        let onlyFor = kind.onlyFor
        metrics.fannedOut.increment()
        registry.withLock { registry in
            registry.lastFannedOut = event.sequence
            if var waiting = registry.pending[room] {
                for (id, var entry) in waiting {
                    if let skipThrough = entry.skipThrough {
                        if event.sequence > skipThrough {
                            hub.subscribe(entry.connection, to: room)
                            waiting[id] = nil
                        }
                    } else if onlyFor == nil || onlyFor == entry.viewer {
                        entry.buffer.append((event.sequence, frame))
                        waiting[id] = entry
                    }
                }
                registry.pending[room] = waiting.isEmpty ? nil : waiting
            }
            if let onlyFor {
                hub.publish(frame, to: room, where: { $0.attributes[ViewerAttribute.viewer] == onlyFor })
            } else {
                hub.publish(frame, to: room)
            }
            if case .moderation(let command) = kind, command.action == .ban {
                var closed = 0
                for connection in hub.subscribers(of: room) where connection.attributes[ViewerAttribute.viewer] == command.target {
                    connection.close(code: CloseCode.banned, reason: "banned")
                    closed += 1
                }
                for entry in registry.pending[room]?.values ?? [:].values where entry.viewer == command.target {
                    entry.connection.close(code: CloseCode.banned, reason: "banned")
                    closed += 1
                }
                if closed > 0 {
                    metrics.bannedDisconnects.increment(by: closed)
                    logger.info("banned viewer disconnected", metadata: ["room.id": "\(room)", "viewer.id": "\(command.target)", "ws.closed": "\(closed)"])
                }
            }
        }
    }

    // MARK: Viewers

    /// Starts delivering `room` to a viewer's connection: live only when `after` is nil; else
    /// every stored event after it (and a `catchup_gap` message when some are gone), then live,
    /// with no gap and no duplicate.
    func attach(_ connection: WebSocketConnection, viewer: String, room: String, after: UInt64?) async throws {
        guard let after else {
            hub.subscribe(connection, to: room)
            return
        }
        metrics.catchUps.increment()
        registry.withLock { $0.pending[room, default: [:]][connection.id] = Pending(connection: connection, viewer: viewer) }
        var lastReplayed = after
        do {
            let subject = RoomName.subject(room)
            var page = try await pipeline.replay(subject, after: after, limit: replayPageSize)
            let target = page.lastSequence
            if page.lastSequence < after {
                // The stream restarted below what the viewer saw: resume from what it holds.
                lastReplayed = page.lastSequence
                metrics.catchUpGaps.increment()
                connection.enqueue(RoomEnvelope.catchUpGap(room: room, timestamp: WallTime.milliseconds(), requestedAfter: after, firstAvailable: page.firstAvailable, lastSequence: page.lastSequence, reason: "reset"))
            } else if page.firstAvailable > 0, after + 1 < page.firstAvailable {
                metrics.catchUpGaps.increment()
                connection.enqueue(RoomEnvelope.catchUpGap(room: room, timestamp: WallTime.milliseconds(), requestedAfter: after, firstAvailable: page.firstAvailable, lastSequence: page.lastSequence, reason: "retention"))
            }
            while true {
                for event in page.events {
                    lastReplayed = event.sequence
                    if let onlyFor = RoomEventKind.of(event.payload).onlyFor, onlyFor != viewer { continue }
                    connection.enqueue(RoomEnvelope.event(room: room, sequence: event.sequence, timestamp: event.timestamp, payload: event.payload))
                }
                metrics.catchUpEvents.increment(by: page.events.count)
                if page.events.isEmpty || page.nextAfter >= target { break }
                try await waitForRoom(connection)
                page = try await pipeline.replay(subject, after: page.nextAfter, limit: replayPageSize)
            }
        } catch {
            forget(connection, room: room)
            throw error
        }
        registry.withLock { registry in
            guard var entry = registry.pending[room]?[connection.id] else { return }
            for (sequence, frame) in entry.buffer where sequence > lastReplayed {
                connection.enqueue(frame)
            }
            if registry.lastFannedOut >= lastReplayed {
                registry.pending[room]?[connection.id] = nil
                if registry.pending[room]?.isEmpty == true { registry.pending[room] = nil }
                hub.subscribe(connection, to: room)
            } else {
                entry.buffer = []
                entry.skipThrough = lastReplayed
                registry.pending[room]?[connection.id] = entry
            }
        }
    }

    /// Lets a long replay wait until the viewer has read part of its queue, so that catching
    /// up never trips the slow-consumer limit by itself.
    private func waitForRoom(_ connection: WebSocketConnection) async throws {
        let limit = max(1, hub.settings.maxQueuedMessages / 2)
        while connection.queuedCount > limit, !connection.isClosing {
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    /// Forgets a connection that is still catching up (its socket ended).
    func forget(_ connection: WebSocketConnection, room: String) {
        registry.withLock { registry in
            registry.pending[room]?[connection.id] = nil
            if registry.pending[room]?.isEmpty == true { registry.pending[room] = nil }
        }
    }
}

/// The connection attributes the streaming service sets at upgrade.
enum ViewerAttribute {
    /// The viewer's customer id.
    static let viewer = "viewer"
    /// The room joined.
    static let room = "room"
}
