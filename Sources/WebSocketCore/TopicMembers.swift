/// The subscribers of one topic: all of them, and the same split by how they are written to.
struct TopicMembers {
    /// The subscribers that write directly on one event loop, and the number of this list
    /// (a new one on every change, so equal numbers mean the same subscribers).
    struct LoopMembers {
        let drainQueue: EventLoopDrainQueue
        var connections: [WebSocketConnection] = []
        var membership: UInt64 = 0
    }

    /// Every subscriber.
    private(set) var all: [WebSocketConnection] = []
    /// Subscribers writing directly, by event loop.
    private(set) var loops: [ObjectIdentifier: LoopMembers] = [:]
    /// Subscribers written to by their own writer task (no direct writes, or not attached yet).
    private(set) var others: [WebSocketConnection] = []

    mutating func add(_ connection: WebSocketConnection, drainQueue: EventLoopDrainQueue?, membership: UInt64) {
        all.append(connection)
        if let drainQueue {
            addToLoop(connection, drainQueue: drainQueue, membership: membership)
        } else {
            others.append(connection)
        }
    }

    /// Moves a subscriber from `others` to its loop's list (it now writes directly).
    mutating func moveToLoop(_ connection: WebSocketConnection, drainQueue: EventLoopDrainQueue, membership: UInt64) {
        guard Self.swapRemove(connection, from: &others) else { return }
        addToLoop(connection, drainQueue: drainQueue, membership: membership)
    }

    mutating func remove(_ connection: WebSocketConnection, membership: UInt64) {
        guard Self.swapRemove(connection, from: &all) else { return }
        if Self.swapRemove(connection, from: &others) { return }
        for key in loops.keys {
            guard Self.swapRemove(connection, from: &loops[key]!.connections) else { continue }
            if loops[key]!.connections.isEmpty {
                loops[key] = nil
            } else {
                loops[key]!.membership = membership
            }
            return
        }
    }

    private mutating func addToLoop(_ connection: WebSocketConnection, drainQueue: EventLoopDrainQueue, membership: UInt64) {
        let key = ObjectIdentifier(drainQueue)
        loops[key, default: LoopMembers(drainQueue: drainQueue)].connections.append(connection)
        loops[key]!.membership = membership
    }

    private static func swapRemove(_ connection: WebSocketConnection, from list: inout [WebSocketConnection]) -> Bool {
        guard let index = list.firstIndex(where: { $0.id == connection.id }) else { return false }
        list.swapAt(index, list.count - 1)
        list.removeLast()
        return true
    }
}
