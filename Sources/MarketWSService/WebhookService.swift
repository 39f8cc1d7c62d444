import MarketFeed
import ServiceLifecycle

/// Stops the webhook workers on graceful shutdown.
struct WebhookService: Service {
    let dispatcher: WebhookDispatcher

    func run() async throws {
        try? await gracefulShutdown()
        dispatcher.shutdown()
    }
}
