/// `ENTITLEMENTS_BYPASS=1`: every customer has every capability. For development and tests only.
public struct BypassEntitlementsProvider: EntitlementsProvider {
    public init() {}

    public func entitlements(for customerId: String) async throws -> CustomerEntitlements? {
        .unrestricted
    }
}
