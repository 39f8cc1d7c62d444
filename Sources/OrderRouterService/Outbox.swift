import Synchronization

/// A FIFO between a producer that must never wait (the committer) and one consumer task
/// that delivers items in order (to the pipeline, to streaming).
///
/// Bounded by ``capacity``: ``isFull`` lets the producer refuse new work (events, which must
/// not be lost) or ``append(_:dropOldest:)`` drops the oldest items (reports, best effort).
public final class Outbox<Item: Sendable>: Sendable {
    private struct State: ~Copyable {
        var items: [Item] = []
        var head = 0
        var waiter: CheckedContinuation<Void, Never>?
        var closed = false
        var count: Int { items.count - head }
    }

    private let state = Mutex(State())
    /// Items held before the outbox counts as full.
    public let capacity: Int

    /// An empty outbox holding up to `capacity` items.
    public init(capacity: Int) {
        precondition(capacity > 0, "an outbox needs room for at least one item")
        self.capacity = capacity
    }

    /// Items waiting.
    public var depth: Int { state.withLock { $0.count } }

    /// True when at least ``capacity`` items wait.
    public var isFull: Bool { state.withLock { $0.count >= capacity } }

    /// Queues `items` in order and wakes the consumer. With `dropOldest`, the oldest items
    /// beyond ``capacity`` are discarded; returns how many were.
    @discardableResult
    public func append(_ items: [Item], dropOldest: Bool = false) -> Int {
        guard !items.isEmpty else { return 0 }
        let (waiter, dropped) = state.withLock { state -> (CheckedContinuation<Void, Never>?, Int) in
            state.items.append(contentsOf: items)
            var dropped = 0
            if dropOldest, state.count > capacity {
                dropped = state.count - capacity
                state.head += dropped
            }
            Self.compact(&state)
            let waiter = state.waiter
            state.waiter = nil
            return (waiter, dropped)
        }
        waiter?.resume()
        return dropped
    }

    /// Up to `limit` items from the front, without removing them; waits while empty; empty
    /// once closed and drained.
    public func peek(limit: Int) async -> [Item] {
        while true {
            let (items, mustWait) = state.withLock { state -> ([Item], Bool) in
                if state.count > 0 {
                    let end = min(state.items.count, state.head + limit)
                    return (Array(state.items[state.head..<end]), false)
                }
                return ([], !state.closed)
            }
            if !mustWait { return items }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.count > 0 || state.closed { return true }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        }
    }

    /// Removes up to `count` items from the front (those delivered, or dropped meanwhile).
    public func removeFirst(_ count: Int) {
        state.withLock { state in
            state.head += min(count, state.count)
            Self.compact(&state)
        }
    }

    /// Removes and returns the oldest item, if any (the consumer when delivery is per item
    /// and items may be dropped concurrently).
    public func popFirst() -> Item? {
        state.withLock { state in
            guard state.count > 0 else { return nil }
            let item = state.items[state.head]
            state.head += 1
            Self.compact(&state)
            return item
        }
    }

    /// Wakes a waiting consumer for good: ``peek(limit:)`` returns what is left, then empty.
    public func close() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.closed = true
            let waiter = state.waiter
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    private static func compact(_ state: inout State) {
        if state.head == state.items.count {
            state.items.removeAll(keepingCapacity: true)
            state.head = 0
        } else if state.head > 4096 && state.head * 2 > state.items.count {
            state.items.removeFirst(state.head)
            state.head = 0
        }
    }
}
