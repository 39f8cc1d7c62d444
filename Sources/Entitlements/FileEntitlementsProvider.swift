import Foundation

/// Entitlements from a JSON file of plans and customers (`ENTITLEMENTS_FILE`):
///
/// ```json
/// {
///   "plans": {
///     "free": {"capabilities": ["can.stream_public"], "limits": {"limit.stream_overlays": 1}},
///     "pro":  {"capabilities": ["can.stream", "can.stream_public"],
///              "limits": {"limit.stream_overlays": 10, "limit.stream_bitrate": 6000}}
///   },
///   "customers": {
///     "cus_123": {"plan": "pro"},
///     "cus_456": {"plan": "free", "capabilities": ["can.stream"], "limits": {"limit.stream_overlays": 3}}
///   }
/// }
/// ```
///
/// A customer's own `capabilities` are added to the plan's; its own `limits` override the plan's.
public struct FileEntitlementsProvider: EntitlementsProvider {
    private let customers: [String: CustomerEntitlements]

    /// Parses the document; throws ``EntitlementsError`` when it is malformed or names an
    /// unknown plan.
    public init(json: [UInt8]) throws {
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: Data(json))
        } catch {
            throw EntitlementsError.malformedDocument("\(error)")
        }
        var customers: [String: CustomerEntitlements] = [:]
        for (customerId, customer) in document.customers {
            var entitlements = CustomerEntitlements(capabilities: [])
            if let planName = customer.plan {
                guard let plan = document.plans[planName] else {
                    throw EntitlementsError.malformedDocument("customer '\(customerId)' names unknown plan '\(planName)'")
                }
                entitlements.capabilities.formUnion(plan.capabilities ?? [])
                entitlements.limits.merge(plan.limits ?? [:]) { _, new in new }
            }
            entitlements.capabilities.formUnion(customer.capabilities ?? [])
            entitlements.limits.merge(customer.limits ?? [:]) { _, new in new }
            customers[customerId] = entitlements
        }
        self.customers = customers
    }

    /// Reads and parses the file at `path`.
    public init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EntitlementsError.malformedDocument("cannot read entitlements file at \(path)")
        }
        try self.init(json: Array(data))
    }

    public func entitlements(for customerId: String) async throws -> CustomerEntitlements? {
        customers[customerId]
    }

    private struct Document: Decodable {
        var plans: [String: Grant] = [:]
        var customers: [String: Customer] = [:]

        enum CodingKeys: String, CodingKey { case plans, customers }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            plans = try container.decodeIfPresent([String: Grant].self, forKey: .plans) ?? [:]
            customers = try container.decodeIfPresent([String: Customer].self, forKey: .customers) ?? [:]
        }
    }

    private struct Grant: Decodable {
        var capabilities: Set<String>?
        var limits: [String: Int]?
    }

    private struct Customer: Decodable {
        var plan: String?
        var capabilities: Set<String>?
        var limits: [String: Int]?
    }
}
