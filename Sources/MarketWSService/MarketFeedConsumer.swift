import Logging
import Pipeline
import ServiceLifecycle

/// Runs the node's subscription to the `market` stream (`market.>`), from the beginning of
/// what the pipeline retains (24 h by default) so snapshots and known markets are rebuilt,
/// then live; and the heartbeat timer. Resubscribes after the last applied sequence when the
/// subscription ends (broker restart, slow subscriber), so nothing is skipped.
struct MarketFeedConsumer: Service {
    let feed: MarketFeedHub
    let heartbeatInterval: Duration?
    let logger: Logger

    func run() async throws {
        await withDiscardingTaskGroup { group in
            group.addTask { await consume() }
            if let heartbeatInterval {
                group.addTask { await heartbeats(every: heartbeatInterval) }
            }
        }
    }

    private func consume() async {
        var markedLive = false
        var failures = 0
        while !Task.isCancelledOrShuttingDown {
            do {
                if !markedLive {
                    // Where the stream stands now: events up to here rebuild state only.
                    let head = try await feed.pipeline.replay("market.>", after: 0, limit: 1)
                    feed.startLive(after: head.lastSequence)
                    markedLive = true
                }
                let subscription = try await feed.pipeline.subscribe("market.>", from: .after(feed.lastSequence))
                failures = 0
                for try await event in subscription.cancelOnGracefulShutdown() {
                    feed.ingest(event)
                }
                if Task.isCancelledOrShuttingDown { return }
                logger.warning("market subscription ended; resubscribing", metadata: ["event.seq": "\(feed.lastSequence)"])
            } catch {
                if Task.isCancelledOrShuttingDown { return }
                failures += 1
                logger.warning("market subscription failed; resubscribing", metadata: [
                    "error": "\(error)", "event.seq": "\(feed.lastSequence)",
                ])
                try? await Task.sleep(for: .milliseconds(min(5000, 100 * (1 << min(failures, 6)))))
            }
        }
    }

    private func heartbeats(every interval: Duration) async {
        while !Task.isCancelledOrShuttingDown {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            if Task.isCancelledOrShuttingDown { return }
            feed.sendHeartbeat()
        }
    }
}

extension Task where Success == Never, Failure == Never {
    /// Whether the current task is cancelled or the service group is shutting down.
    static var isCancelledOrShuttingDown: Bool {
        Task.isCancelled || Task.isShuttingDownGracefully
    }
}
