import Foundation
import SecurityPrimitives
import Synchronization

/// The registered webhook endpoints, persisted as one JSON file (written to a temporary file
/// then renamed, so a crash never leaves half a file) so registrations survive a restart.
public final class WebhookRegistry: Sendable {
    private struct File: Codable {
        var webhooks: [WebhookEndpoint]
    }

    /// Where the registrations live; `nil` keeps them in memory only.
    public let fileURL: URL?
    private let endpoints: Mutex<[WebhookEndpoint]>

    /// Loads the registrations from `fileURL` (none when the file does not exist yet).
    public init(fileURL: URL?) throws(FeedError) {
        self.fileURL = fileURL
        var loaded: [WebhookEndpoint] = []
        if let fileURL, FileManager.default.fileExists(atPath: fileURL.path) {
            do {
                let data = try Data(contentsOf: fileURL)
                loaded = try JSONDecoder().decode(File.self, from: data).webhooks
            } catch {
                throw FeedError.unreadableRegistry.with(detail: "\(fileURL.path): \(error)")
            }
        }
        self.endpoints = Mutex(loaded)
    }

    /// Every endpoint, in registration order.
    public var all: [WebhookEndpoint] {
        endpoints.withLock { $0 }
    }

    /// The endpoints of one operator.
    public func endpoints(of operatorId: String) -> [WebhookEndpoint] {
        endpoints.withLock { $0.filter { $0.operatorId == operatorId } }
    }

    /// The endpoint `id` if `operatorId` owns it.
    public func endpoint(id: String, operatorId: String) -> WebhookEndpoint? {
        endpoints.withLock { $0.first { $0.id == id && $0.operatorId == operatorId } }
    }

    /// Registers an endpoint with a fresh id and secret, and persists.
    public func register(operatorId: String, url: String, eventTypes: [String], now: Int64) throws(FeedError) -> WebhookEndpoint {
        let endpoint = WebhookEndpoint(
            id: "wh_" + Hex.encode(SecureRandom.bytes(12)),
            operatorId: operatorId,
            url: url,
            eventTypes: eventTypes,
            secret: "whsec_" + Hex.encode(SecureRandom.bytes(32)),
            createdAt: now
        )
        try update { $0.append(endpoint) }
        return endpoint
    }

    /// Removes the endpoint `id` if `operatorId` owns it, and persists; false when it does not.
    public func remove(id: String, operatorId: String) throws(FeedError) -> Bool {
        var removed = false
        try update { list in
            let before = list.count
            list.removeAll { $0.id == id && $0.operatorId == operatorId }
            removed = list.count != before
        }
        return removed
    }

    private func update(_ change: (inout [WebhookEndpoint]) -> Void) throws(FeedError) {
        let fileURL = self.fileURL
        let result: Result<Void, FeedError> = endpoints.withLock { list in
            var next = list
            change(&next)
            if let fileURL {
                do {
                    try FileManager.default.createDirectory(at: fileURL.deletingLastPathComponent(), withIntermediateDirectories: true)
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                    let data = try encoder.encode(File(webhooks: next))
                    try data.write(to: fileURL, options: .atomic)
                    // The file holds signing secrets: owner only.
                    try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: fileURL.path)
                } catch {
                    return .failure(FeedError.unwritableRegistry.with(detail: "\(fileURL.path): \(error)"))
                }
            }
            list = next
            return .success(())
        }
        try result.get()
    }
}
