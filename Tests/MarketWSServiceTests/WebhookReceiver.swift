import Foundation
import HTTPTypes
import Hummingbird
import Logging
import MarketFeed
import NIOCore
import ServiceLifecycle
import Synchronization

/// A local Hummingbird receiver for webhook deliveries: verifies each signature with the
/// secret, answers 503 for the first `failFirst` requests, and records the bodies.
final class WebhookReceiver: Sendable {
    struct Delivery: Sendable {
        var seq: UInt64
        var body: String
        var signatureValid: Bool
    }

    let secret = Mutex("")
    let deliveries = Mutex<[Delivery]>([])
    let refusals = Atomic<Int>(0)
    let failFirst: Int
    let port: Int
    private let task = Mutex<Task<Void, any Error>?>(nil)

    init(port: Int, failFirst: Int) {
        self.port = port
        self.failFirst = failFirst
    }

    /// Starts listening on `port`; waits until it accepts connections.
    func start() async throws {
        let router = Router()
        router.post("/hook") { [self] request, _ -> Response in
            if refusals.add(1, ordering: .relaxed).newValue <= failFirst {
                return Response(status: .serviceUnavailable)
            }
            let body = try await request.body.collect(upTo: 1 << 20)
            let bytes = Array(buffer: body)
            let header = request.headers[HTTPField.Name("X-Webhook-Signature")!] ?? ""
            let valid = WebhookSignature.verify(header: header, secret: secret.withLock { $0 }, body: bytes,
                                                now: Int64(Date().timeIntervalSince1970))
            let seq = UInt64(request.headers[HTTPField.Name("X-Webhook-Event-Seq")!] ?? "") ?? 0
            deliveries.withLock { $0.append(Delivery(seq: seq, body: String(decoding: bytes, as: UTF8.self), signatureValid: valid)) }
            return Response(status: valid ? .noContent : .unauthorized)
        }
        var logger = Logger(label: "webhook-receiver")
        logger.logLevel = .error
        let started = Atomic<Bool>(false)
        let wrapped = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)),
                                  onServerRunning: { _ in started.store(true, ordering: .relaxed) }, logger: logger)
        task.withLock { $0 = Task { try await wrapped.run() } }
        try await waitUntil("receiver listening") { started.load(ordering: .relaxed) }
    }

    func stop() async {
        let running = task.withLock { $0 }
        running?.cancel()
        _ = try? await running?.value
    }
}
