import Foundation

/// The bounded buffer between one subscription's producer and its consumer.
///
/// The memory adapter pushes without waiting (``offer(_:)``): a publisher never blocks on a slow
/// subscriber, and a subscriber whose buffer is full is finished with
/// ``PipelineError/slowSubscriber(_:)`` instead of silently missing events. Broker adapters read
/// on their own thread and wait for room (``put(_:)``), which turns into back-pressure on the
/// broker read rather than loss.
final class SubscriptionMailbox: @unchecked Sendable {
    /// What ``offer(_:)`` did with an event.
    enum OfferResult {
        case accepted
        case overflowed
        case closed
    }

    private let condition = NSCondition()
    private let capacity: Int
    private var buffer: [PipelineEvent] = []
    private var head = 0
    private var waiter: CheckedContinuation<PipelineEvent?, any Error>?
    private var failure: (any Error)?
    private var finished = false
    private var cancelled = false
    private var onCancel: (@Sendable () -> Void)?

    /// `capacity` bounds live events; `initial` (a replayed backlog) is accepted on top of it.
    init(capacity: Int, initial: [PipelineEvent] = []) {
        self.capacity = max(1, capacity) + initial.count
        self.buffer = initial
        self.buffer.reserveCapacity(min(self.capacity, 1024))
    }

    /// Registers what to do when the consumer goes away (cancel or drop).
    func setOnCancel(_ action: @escaping @Sendable () -> Void) {
        condition.lock()
        if cancelled {
            condition.unlock()
            action()
            return
        }
        onCancel = action
        condition.unlock()
    }

    /// True once the consumer is gone: producers stop.
    var isCancelled: Bool {
        condition.lock()
        defer { condition.unlock() }
        return cancelled || finished
    }

    private var count: Int { buffer.count - head }

    private func popLocked() -> PipelineEvent {
        let event = buffer[head]
        head += 1
        if head == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 4096 && head * 2 >= buffer.count {
            buffer.removeFirst(head)
            head = 0
        }
        return event
    }

    /// Appends without waiting; on a full buffer the subscription fails with `slowSubscriber`.
    func offer(_ event: PipelineEvent) -> OfferResult {
        condition.lock()
        if cancelled || finished {
            condition.unlock()
            return .closed
        }
        if let waiter {
            self.waiter = nil
            condition.unlock()
            waiter.resume(returning: event)
            return .accepted
        }
        if count >= capacity {
            finished = true
            failure = PipelineError.slowSubscriber(
                "subscriber buffer of \(capacity) events is full; resubscribe with .after(lastSequence)")
            condition.unlock()
            return .overflowed
        }
        buffer.append(event)
        condition.unlock()
        return .accepted
    }

    /// Appends, waiting for room while the consumer catches up. Returns false when the consumer
    /// is gone.
    func put(_ events: some Sequence<PipelineEvent>) -> Bool {
        for event in events {
            condition.lock()
            while count >= capacity && !cancelled && !finished {
                _ = condition.wait(until: Date(timeIntervalSinceNow: 0.2))
            }
            if cancelled || finished {
                condition.unlock()
                return false
            }
            if let waiter {
                self.waiter = nil
                condition.unlock()
                waiter.resume(returning: event)
                continue
            }
            buffer.append(event)
            condition.unlock()
        }
        return true
    }

    /// Ends the subscription with an error after the buffered events are consumed.
    func fail(_ error: any Error) {
        condition.lock()
        if finished || cancelled {
            condition.unlock()
            return
        }
        finished = true
        failure = error
        let waiter = self.waiter
        self.waiter = nil
        condition.broadcast()
        condition.unlock()
        waiter?.resume(throwing: error)
    }

    /// The consumer is gone: wake everyone, drop the buffer, run the cancel hook once.
    func cancel() {
        condition.lock()
        if cancelled {
            condition.unlock()
            return
        }
        cancelled = true
        buffer.removeAll()
        head = 0
        let waiter = self.waiter
        self.waiter = nil
        let action = onCancel
        onCancel = nil
        condition.broadcast()
        condition.unlock()
        waiter?.resume(returning: nil)
        action?()
    }

    /// What the consumer finds without waiting.
    private enum Immediate {
        case event(PipelineEvent)
        case end
        case failure(any Error)
        case empty
    }

    /// Takes an event if one is ready; otherwise parks `continuation` (when given) as the waiter.
    private func takeOrPark(_ continuation: CheckedContinuation<PipelineEvent?, any Error>?) -> Immediate {
        condition.lock()
        defer { condition.unlock() }
        if count > 0 {
            let event = popLocked()
            condition.signal()
            return .event(event)
        }
        if cancelled { return .end }
        if let failure { return .failure(failure) }
        if let continuation { waiter = continuation }
        return .empty
    }

    /// The next event, waiting for one; nil once cancelled.
    func next() async throws -> PipelineEvent? {
        switch takeOrPark(nil) {
        case .event(let event): return event
        case .end: return nil
        case .failure(let error): throw error
        case .empty: break
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<PipelineEvent?, any Error>) in
                switch takeOrPark(continuation) {
                case .event(let event): continuation.resume(returning: event)
                case .end: continuation.resume(returning: nil)
                case .failure(let error): continuation.resume(throwing: error)
                case .empty: break
                }
            }
        } onCancel: {
            self.cancel()
        }
    }

    /// The public face: an `AsyncSequence` pulling from this mailbox. Dropping it cancels.
    func subscription() -> PipelineSubscription {
        let token = CancelOnDeinit(self)
        let stream = AsyncThrowingStream<PipelineEvent, any Error>(unfolding: {
            try await token.mailbox.next()
        })
        return PipelineSubscription(stream)
    }
}

/// Cancels its mailbox when the subscription stream (which holds it) is released.
private final class CancelOnDeinit: Sendable {
    let mailbox: SubscriptionMailbox
    init(_ mailbox: SubscriptionMailbox) { self.mailbox = mailbox }
    deinit { mailbox.cancel() }
}
