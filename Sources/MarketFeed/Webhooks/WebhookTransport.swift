/// Sends one signed delivery; the service implements it with an HTTP client, tests with
/// whatever they like.
public protocol WebhookTransport: Sendable {
    /// POSTs `body` with `headers` to `url`, returning the HTTP status; throws when no answer
    /// came (refused, timeout).
    func post(url: String, headers: [(String, String)], body: [UInt8], timeout: Duration) async throws -> Int
}
