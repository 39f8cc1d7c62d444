import HTTPCore
import Hummingbird
import MarketEngine
import SecurityPrimitives

/// Who is calling: operators by `X-Api-Key` (the shared ``OperatorKeyStore``), the market
/// administrator by `ORDER_ROUTER_ADMIN_TOKEN` (`Authorization: Bearer` or `X-Service-Token`).
struct OperatorAuthenticator: Sendable {
    let keys: OperatorKeyStore
    let adminToken: [UInt8]

    /// The operator of the request's API key; 401 `missing_api_key` / `invalid_api_key`.
    func operatorId(of request: Request) throws -> String {
        guard let key = request.headers[.apiKey], !key.isEmpty else {
            throw APIError.unauthorized("missing X-Api-Key header", code: "missing_api_key")
        }
        guard let operatorId = keys.operatorId(forAPIKey: key) else {
            throw APIError.unauthorized("unknown API key", code: "invalid_api_key")
        }
        return operatorId
    }

    /// Reads of public market data: an operator key or the admin token.
    func requireReader(_ request: Request) throws {
        if request.headers[.apiKey] == nil, let token = ServiceTokenMiddleware<BasicRequestContext>.presentedToken(request.headers),
            ConstantTime.equals(Array(token.utf8), adminToken) {
            return
        }
        _ = try operatorId(of: request)
    }
}
