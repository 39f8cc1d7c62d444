import AsyncHTTPClient
import Logging

/// Chooses the provider from the environment, in this order:
/// `ENTITLEMENTS_BYPASS=1` (everything allowed; development and tests), `ENTITLEMENTS_FILE`
/// (a JSON document of plans and customers), `ENTITLEMENTS_URL` (a remote service, with
/// `ENTITLEMENTS_TOKEN`, `ENTITLEMENTS_CACHE_TTL_SECONDS` default 60 and
/// `ENTITLEMENTS_NEGATIVE_TTL_SECONDS` default 10). None of them is a start-up error: a
/// service never silently runs open.
public enum EntitlementsConfiguration {
    public static func makeProvider(environment: [String: String], httpClient: HTTPClient = .shared, logger: Logger) throws -> any EntitlementsProvider {
        func value(_ key: String) -> String? {
            guard let text = environment[key], !text.isEmpty else { return nil }
            return text
        }
        if let bypass = value("ENTITLEMENTS_BYPASS"), ["1", "true", "yes", "on"].contains(bypass.lowercased()) {
            logger.warning("ENTITLEMENTS_BYPASS is on: every customer has every capability (development only)")
            return BypassEntitlementsProvider()
        }
        if let path = value("ENTITLEMENTS_FILE") {
            return try FileEntitlementsProvider(path: path)
        }
        if let url = value("ENTITLEMENTS_URL") {
            let ttl = Int(value("ENTITLEMENTS_CACHE_TTL_SECONDS") ?? "60") ?? 60
            let negativeTTL = Int(value("ENTITLEMENTS_NEGATIVE_TTL_SECONDS") ?? "10") ?? 10
            return RemoteEntitlementsProvider(
                baseURL: url,
                token: value("ENTITLEMENTS_TOKEN"),
                client: httpClient,
                cache: EntitlementsCache(ttl: .seconds(ttl), negativeTTL: .seconds(negativeTTL)),
                logger: logger
            )
        }
        throw EntitlementsError.notConfigured
    }
}
