/// The full result of ``MarketEngine/apply(_:)``: the response, what to journal and what to
/// publish.
public struct CommandOutcome: Sendable {
    /// The response for the caller.
    public var result: CommandResult
    /// The entry to journal; `nil` when the command changed nothing (an idempotent retry).
    public var entry: JournalEntry?
    /// Events to publish, in order.
    public var events: [MarketEvent]

    /// An outcome.
    public init(result: CommandResult, entry: JournalEntry?, events: [MarketEvent]) {
        self.result = result
        self.entry = entry
        self.events = events
    }
}
