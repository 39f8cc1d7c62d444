import HTTPCore
import Hummingbird
import MarketEngine

/// Finds the operator behind a request: the `X-Api-Key` header, or (WebSocket only, as the
/// seed allows browsers) the `apiKey` query parameter.
struct OperatorAuthenticator: Sendable {
    let keys: OperatorKeyStore

    /// The operator of a WebSocket upgrade request, or `nil`.
    func webSocketOperator(_ request: Request) -> String? {
        if let key = request.headers[.apiKey], !key.isEmpty {
            return keys.operatorId(forAPIKey: key)
        }
        if let key = request.uri.queryParameters.get("apiKey"), !key.isEmpty {
            return keys.operatorId(forAPIKey: key)
        }
        return nil
    }

    /// The operator of a REST request; throws 401 without a valid `X-Api-Key`.
    func restOperator(_ request: Request) throws -> String {
        guard let key = request.headers[.apiKey], !key.isEmpty else {
            throw APIError.unauthorized("missing X-Api-Key header")
        }
        guard let operatorId = keys.operatorId(forAPIKey: key) else {
            throw APIError.unauthorized("invalid API key")
        }
        return operatorId
    }
}
