import Synchronization

/// An atomic counter that concurrent tasks share by reference.
final class SharedCounter: Sendable {
    private let value = Atomic<Int>(0)

    /// Adds one and returns the value before.
    func next() -> Int { value.wrappingAdd(1, ordering: .relaxed).oldValue }

    var current: Int { value.load(ordering: .relaxed) }
}
