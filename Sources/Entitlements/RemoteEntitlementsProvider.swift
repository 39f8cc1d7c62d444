import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Entitlements from a remote HTTP service (`ENTITLEMENTS_URL`), cached.
///
/// `GET {baseURL}/entitlements/{customerId}` with `Authorization: Bearer {token}` when a token
/// is configured. 200 with `{"capabilities":[...],"limits":{...}}` is an answer; 404 means
/// "unknown customer" and is cached negatively; anything else, or no answer within the
/// timeout, throws ``EntitlementsError/unavailable(_:)`` and is not cached.
public struct RemoteEntitlementsProvider: EntitlementsProvider {
    private let baseURL: String
    private let token: String?
    private let client: HTTPClient
    private let cache: EntitlementsCache
    private let timeout: TimeAmount
    private let logger: Logger

    public init(baseURL: String, token: String?, client: HTTPClient, cache: EntitlementsCache, timeout: TimeAmount = .seconds(2), logger: Logger) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.token = token
        self.client = client
        self.cache = cache
        self.timeout = timeout
        self.logger = logger
    }

    public func entitlements(for customerId: String) async throws -> CustomerEntitlements? {
        if let cached = await cache.lookup(customerId) { return cached }
        guard let encoded = customerId.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) else {
            return nil
        }
        var request = HTTPClientRequest(url: "\(baseURL)/entitlements/\(encoded)")
        request.method = .GET
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await client.execute(request, timeout: timeout)
            body = try await response.body.collect(upTo: 1 << 20)
        } catch {
            logger.warning("entitlements service unreachable", metadata: ["error": "\(error)", "customer.id": "\(customerId)"])
            throw EntitlementsError.unavailable("\(error)")
        }
        switch response.status.code {
        case 200:
            do {
                let value = try JSONDecoder().decode(CustomerEntitlements.self, from: Data(body.readableBytesView))
                await cache.store(value, for: customerId)
                return value
            } catch {
                throw EntitlementsError.malformedDocument("entitlements service answered invalid JSON: \(error)")
            }
        case 404:
            await cache.store(nil, for: customerId)
            return nil
        default:
            logger.warning("entitlements service error", metadata: ["http.status": "\(response.status.code)", "customer.id": "\(customerId)"])
            throw EntitlementsError.unavailable("status \(response.status.code)")
        }
    }
}
