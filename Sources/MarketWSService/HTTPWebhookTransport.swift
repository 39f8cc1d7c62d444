import AsyncHTTPClient
import MarketFeed
import NIOCore
import NIOHTTP1

/// Sends webhook deliveries with AsyncHTTPClient's shared client (its own event loops, so a
/// slow receiver never occupies the server's).
struct HTTPWebhookTransport: WebhookTransport {
    func post(url: String, headers: [(String, String)], body: [UInt8], timeout: Duration) async throws -> Int {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for (name, value) in headers {
            request.headers.add(name: name, value: value)
        }
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000))
        // Drain (and bound) the body so the connection can be reused.
        _ = try? await response.body.collect(upTo: 64 * 1024)
        return Int(response.status.code)
    }
}
