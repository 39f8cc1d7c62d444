import HTTPCore
import MarketEngine

/// The one place the single-threaded ``MarketEngine`` runs: an actor that applies commands in
/// arrival order and hands accepted ones to the ``JournalCommitter`` as a group.
///
/// A command is applied at once (so the next command sees its effect) but its caller is
/// answered only when the batch holding its journal entry is durable. Events leave only after
/// that too, so nothing is published or acknowledged that a crash could undo.
public actor MatchingCore {
    private var engine: MarketEngine
    private var batch = CommitBatch()
    private var committerWaiter: CheckedContinuation<CommitBatch?, Never>?
    private var stopping = false
    private var failure: OrderJournalError?
    private let eventOutbox: Outbox<PendingEvent>

    /// A core around an engine already rebuilt from the journal.
    init(engine: MarketEngine, eventOutbox: Outbox<PendingEvent>) {
        self.engine = engine
        self.eventOutbox = eventOutbox
    }

    /// Applies `command` and returns its result once its journal entry is durable.
    /// Throws ``EngineError`` (nothing changed) or ``APIError`` 503 when the journal failed
    /// or the event backlog is full.
    public func execute(_ command: EngineCommand) async throws -> CommandReceipt {
        try await execute(batch: [command])[0].get()
    }

    /// Applies `commands` one after the other in one turn (no other command runs between
    /// them) and returns, once the journal entries of the accepted ones are durable, each
    /// command's receipt or refusal, in order. A refused command changes nothing and does not
    /// stop the others. Throws ``APIError`` 503, before applying any, when the journal failed
    /// or the event backlog is full.
    public func execute(batch commands: [EngineCommand]) async throws -> [Result<CommandReceipt, EngineError>] {
        if let failure {
            throw OrderRouterErrors.journalUnavailable(failure)
        }
        if eventOutbox.isFull {
            throw APIError.unavailable("the event pipeline is behind; retry shortly", code: "events_backlog")
        }
        var results: [Result<CommandReceipt, EngineError>] = []
        results.reserveCapacity(commands.count)
        var accepted = false
        // No suspension until the continuation below: the entries join the pending batch in
        // this turn, together with their caller.
        for command in commands {
            var events: [MarketEvent] = []
            do {
                let (result, entry) = try engine.apply(command, appendingEventsTo: &events)
                if let entry {
                    batch.entries.append(entry)
                    batch.events.append(events)
                }
                results.append(.success(CommandReceipt(result: result, isNew: entry != nil)))
                accepted = true
            } catch {
                results.append(.failure(error))
            }
        }
        // All refused: nothing to wait for. (An idempotent retry is accepted: it waits, so it
        // is never answered before its original is durable.)
        guard accepted else { return results }
        return try await withCheckedThrowingContinuation { continuation in
            batch.waiters.append(CommitBatch.Waiter(continuation: continuation, results: results))
            if let waiter = committerWaiter {
                committerWaiter = nil
                waiter.resume(returning: takeBatch())
            }
        }
    }

    /// Runs a read-only query against the current state.
    public func read<Value: Sendable>(_ query: @Sendable (MarketEngine) throws -> Value) rethrows -> Value {
        try query(engine)
    }

    /// True once a journal write failed: the service refuses commands until restarted.
    public var hasFailed: Bool { failure != nil }

    /// The engine's state (for crash tests and diagnostics).
    public func snapshot(at time: Int64) -> EngineSnapshot {
        engine.snapshot(at: time)
    }

    // MARK: The committer's side

    /// The next batch to make durable; waits while there is none; `nil` once stopping and empty.
    func nextBatch() async -> CommitBatch? {
        if !batch.isEmpty { return takeBatch() }
        if stopping { return nil }
        return await withCheckedContinuation { continuation in
            committerWaiter = continuation
        }
    }

    /// Lets the committer finish once the pending batch is written.
    func stop() {
        stopping = true
        if let waiter = committerWaiter {
            committerWaiter = nil
            waiter.resume(returning: batch.isEmpty ? nil : takeBatch())
        }
    }

    /// Records a journal failure: from now on every command is refused.
    func fail(_ error: OrderJournalError) {
        if failure == nil { failure = error }
    }

    private func takeBatch() -> CommitBatch {
        let taken = batch
        batch = CommitBatch()
        batch.entries.reserveCapacity(taken.entries.count)
        batch.events.reserveCapacity(taken.events.count)
        batch.waiters.reserveCapacity(taken.waiters.count)
        return taken
    }
}
