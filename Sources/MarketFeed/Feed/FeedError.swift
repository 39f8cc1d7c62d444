/// Why the feed could not use something it was given.
public struct FeedError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Kind: Hashable, Sendable {
        case undecodableEvent, unreadableRegistry, unwritableRegistry
    }

    private let kind: Kind
    /// What was at fault (a sequence, a path); never a secret.
    public let detail: String?

    private init(_ kind: Kind, _ detail: String? = nil) {
        self.kind = kind
        self.detail = detail
    }

    /// A pipeline payload is not a seed-shaped market event.
    public static let undecodableEvent = FeedError(.undecodableEvent)
    /// The webhook registration file exists but cannot be read or parsed.
    public static let unreadableRegistry = FeedError(.unreadableRegistry)
    /// The webhook registration file cannot be written.
    public static let unwritableRegistry = FeedError(.unwritableRegistry)

    /// The same error with words about this occurrence.
    public func with(detail: String) -> FeedError {
        FeedError(kind, detail)
    }

    public var description: String {
        let base: String = switch kind {
        case .undecodableEvent: "not a market event"
        case .unreadableRegistry: "cannot read the webhook registrations"
        case .unwritableRegistry: "cannot write the webhook registrations"
        }
        guard let detail else { return base }
        return "\(base): \(detail)"
    }

    /// Errors are equal when their kinds are.
    public static func == (lhs: FeedError, rhs: FeedError) -> Bool { lhs.kind == rhs.kind }

    public func hash(into hasher: inout Hasher) { hasher.combine(kind) }
}
