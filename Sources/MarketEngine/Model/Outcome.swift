/// One possible result of a market ("Yes", "No", or one of several candidates).
public struct Outcome: Codable, Hashable, Sendable {
    /// Stable id used in orders and events.
    public var id: String
    /// Display name carried in PRICE_UPDATE.
    public var name: String

    /// An outcome with its id and display name.
    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}
