/// Why the journal could not be opened, read or appended to.
public struct OrderJournalError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Kind: Hashable, Sendable {
        case open, read, write, corrupt
    }

    private let kind: Kind
    /// The path and the system error; never secret.
    public let detail: String

    private init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }

    /// The journal file or its folder cannot be created or opened.
    public static func open(_ detail: String) -> OrderJournalError { OrderJournalError(.open, detail) }
    /// The journal cannot be read back.
    public static func read(_ detail: String) -> OrderJournalError { OrderJournalError(.read, detail) }
    /// An append or fsync failed: what was not written was not acknowledged.
    public static func write(_ detail: String) -> OrderJournalError { OrderJournalError(.write, detail) }
    /// A complete line in the middle of the journal does not parse or replay.
    public static func corrupt(_ detail: String) -> OrderJournalError { OrderJournalError(.corrupt, detail) }

    public var description: String {
        switch kind {
        case .open: "cannot open the journal: \(detail)"
        case .read: "cannot read the journal: \(detail)"
        case .write: "cannot append to the journal: \(detail)"
        case .corrupt: "corrupt journal: \(detail)"
        }
    }
}
