import Entitlements
import HTTPTypes
import Hummingbird
import Logging

/// Guards routes by capability (`can.stream` for history, ...): the caller's identity comes from
/// `X-Customer-Id` (or `X-User-Id`); its entitlements from the configured provider.
///
/// No identity: 401 `missing_identity`. Unknown customer or capability not granted: 403
/// `entitlement_required` naming the capability. Provider unreachable: 503 (never "allowed").
public struct EntitlementMiddleware<Context: RequestContext>: RouterMiddleware {
    private let capability: String
    private let provider: any EntitlementsProvider

    public init(capability: String, provider: any EntitlementsProvider) {
        self.capability = capability
        self.provider = provider
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let customerId = Self.identity(request.headers) else {
            throw APIError.unauthorized("missing identity: send X-Customer-Id or X-User-Id", code: "missing_identity")
        }
        try await Self.check(capability: capability, customerId: customerId, provider: provider, logger: context.logger)
        return try await next(request, context)
    }

    /// The caller's identity from `X-Customer-Id`, else `X-User-Id`.
    public static func identity(_ headers: HTTPFields) -> String? {
        if let id = headers[.customerID], !id.isEmpty { return id }
        if let id = headers[.userID], !id.isEmpty { return id }
        return nil
    }

    /// Throws the suite's 403 or 503 when `customerId` may not use `capability`. Shared with
    /// WebSocket upgrades, which check before accepting the socket.
    public static func check(capability: String, customerId: String, provider: any EntitlementsProvider, logger: Logger) async throws {
        let entitlements: CustomerEntitlements?
        do {
            entitlements = try await provider.entitlements(for: customerId)
        } catch {
            logger.error("entitlements unavailable", metadata: ["customer.id": "\(customerId)", "error": "\(error)"])
            throw APIError.unavailable("entitlements service unavailable", code: "entitlements_unavailable")
        }
        guard let entitlements, entitlements.allows(capability) else {
            logger.info("entitlement refused", metadata: ["customer.id": "\(customerId)", "entitlement.capability": "\(capability)"])
            throw APIError.forbidden("customer '\(customerId)' lacks the '\(capability)' entitlement", code: "entitlement_required")
        }
    }
}
