import MarketEngine

/// What a durable command answers: the engine's result and whether the command was new
/// (journaled) or an idempotent retry that changed nothing (REST 201 versus 200).
public struct CommandReceipt: Sendable {
    /// The market or order after the command.
    public var result: CommandResult
    /// False for an idempotent retry of an earlier order.
    public var isNew: Bool

    /// A receipt.
    public init(result: CommandResult, isNew: Bool) {
        self.result = result
        self.isNew = isNew
    }
}
