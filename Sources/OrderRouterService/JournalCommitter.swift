import Logging
import MarketEngine
import Metrics
import NIOPosix
import ServiceLifecycle
import Synchronization

/// Group commit: takes every command the ``MatchingCore`` applied since the last write,
/// appends their entries to the ``OrderJournal`` with one fsync (on a thread pool, off the
/// cooperative threads), then queues their events and reports and answers their callers.
///
/// While one batch is being written the next one fills up, so the fsync cost is shared by
/// however many commands arrived meanwhile. A failed write fails its callers with 503 and
/// stops all later writes (a gap in the journal would make it unreplayable).
struct JournalCommitter: Service {
    let core: MatchingCore
    let journal: OrderJournal
    /// The journal's start as the replay left it (see ``JournalStart``).
    let journalStart: JournalStart
    let events: Outbox<PendingEvent>
    let reports: Outbox<ExecutionReport>?
    let threadPool: NIOThreadPool
    let logger: Logger
    let dropLog = DropLog()

    private static let batchSize = Recorder(label: "order_router_journal_batch_commands")
    private static let commitTimer = Metrics.Timer(label: "order_router_journal_commit_seconds")
    private static let commits = Counter(label: "order_router_journal_commits_total")
    private static let entriesWritten = Counter(label: "order_router_journal_entries_total")

    func run() async throws {
        await withGracefulShutdownHandler {
            await commitLoop()
        } onGracefulShutdown: {
            Task { await core.stop() }
        }
    }

    private func commitLoop() async {
        var broken: OrderJournalError?
        var journalStart = self.journalStart
        while let batch = await core.nextBatch() {
            if broken == nil, !batch.entries.isEmpty {
                let start = ContinuousClock.now
                let entries = batch.entries
                let journal = self.journal
                do {
                    try await threadPool.runIfActive { try journal.append(entries) }
                    Self.commitTimer.recordNanoseconds((ContinuousClock.now - start).nanosecondsApproximation)
                    Self.commits.increment()
                    Self.entriesWritten.increment(by: entries.count)
                    Self.batchSize.record(entries.count)
                } catch {
                    let failure = (error as? OrderJournalError) ?? .write("\(error)")
                    broken = failure
                    await core.fail(failure)
                    logger.critical("journal write failed; refusing commands", metadata: ["journal.path": "\(journal.path)", "error.message": "\(failure)"])
                }
            }
            if let broken {
                let error = OrderRouterErrors.journalUnavailable(broken)
                for waiter in batch.waiters { waiter.continuation.resume(throwing: error) }
                continue
            }
            publish(batch, journalStart: &journalStart)
            for waiter in batch.waiters { waiter.continuation.resume(returning: waiter.results) }
        }
        events.close()
        reports?.close()
    }

    private func publish(_ batch: CommitBatch, journalStart: inout JournalStart) {
        var pending: [PendingEvent] = []
        var executionReports: [ExecutionReport] = []
        for (entry, entryEvents) in zip(batch.entries, batch.events) {
            let start = journalStart.start(of: entry)
            PendingEvent.append(entryEvents, of: entry.sequence, journalStart: start, to: &pending)
            guard reports != nil else { continue }
            for (index, event) in entryEvents.enumerated() {
                if case .order(let update) = event {
                    executionReports.append(ExecutionReport(reportId: "er-\(start)-\(entry.sequence)-\(index)", update: update))
                }
            }
        }
        events.append(pending)
        if let reports, !executionReports.isEmpty {
            let dropped = reports.append(executionReports, dropOldest: true)
            if dropped > 0 {
                ReportSender.dropped.increment(by: dropped)
                dropLog.record(dropped, logger: logger)
            }
        }
    }
}

/// Logs report drops at most every ten seconds, with the count since the last line.
final class DropLog: Sendable {
    private let state = Mutex<(lastLogged: ContinuousClock.Instant?, pending: Int)>((nil, 0))

    func record(_ count: Int, logger: Logger) {
        let now = ContinuousClock.now
        let toLog: Int? = state.withLock { state in
            state.pending += count
            if let last = state.lastLogged, now - last < .seconds(10) { return nil }
            state.lastLogged = now
            defer { state.pending = 0 }
            return state.pending
        }
        if let toLog {
            logger.warning("execution report outbox full; oldest reports dropped", metadata: ["reports.dropped": "\(toLog)"])
        }
    }
}

extension Duration {
    /// Whole nanoseconds (for metrics).
    var nanosecondsApproximation: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
