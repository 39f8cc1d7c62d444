/// Where entitlements come from.
///
/// Returns nil for an unknown customer; throws ``EntitlementsError`` when the source cannot be
/// reached (callers answer 503, never "allowed").
public protocol EntitlementsProvider: Sendable {
    func entitlements(for customerId: String) async throws -> CustomerEntitlements?
}
