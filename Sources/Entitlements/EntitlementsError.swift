/// Why entitlements could not be answered.
public struct EntitlementsError: Error, Equatable, CustomStringConvertible {
    private enum Kind: Equatable {
        case unavailable(String)
        case malformedDocument(String)
        case notConfigured
    }

    private let kind: Kind

    /// The remote entitlements service did not answer usably (callers answer 503).
    public static func unavailable(_ reason: String) -> EntitlementsError { .init(kind: .unavailable(reason)) }
    /// A plans/customers document or a remote answer is not valid.
    public static func malformedDocument(_ reason: String) -> EntitlementsError { .init(kind: .malformedDocument(reason)) }
    /// None of `ENTITLEMENTS_BYPASS`, `ENTITLEMENTS_FILE`, `ENTITLEMENTS_URL` is set.
    public static let notConfigured = EntitlementsError(kind: .notConfigured)

    public var description: String {
        switch kind {
        case .unavailable(let reason): "entitlements service unavailable: \(reason)"
        case .malformedDocument(let reason): "malformed entitlements: \(reason)"
        case .notConfigured:
            "no entitlements source: set ENTITLEMENTS_URL or ENTITLEMENTS_FILE (or ENTITLEMENTS_BYPASS=1 in development)"
        }
    }
}
