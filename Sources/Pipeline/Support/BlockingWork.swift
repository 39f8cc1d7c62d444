import Dispatch

/// Runs blocking C calls (hiredis, nats.c) on a Dispatch queue, never on the Swift cooperative
/// pool or a SwiftNIO event loop, and awaits their result.
struct BlockingWork: Sendable {
    private let queue: DispatchQueue

    /// A concurrent queue labelled for the adapter that owns it.
    init(label: String) {
        queue = DispatchQueue(label: label, attributes: .concurrent)
    }

    /// Runs `body` on the queue and returns what it returns or throws.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body() })
            }
        }
    }
}
