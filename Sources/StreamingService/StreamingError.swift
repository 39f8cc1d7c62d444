/// Why the streaming service cannot start or go on.
public struct StreamingError: Error, CustomStringConvertible {
    private enum Kind {
        case corruptState(String)
    }

    private let kind: Kind

    /// The state file exists but cannot be read.
    public static func corruptState(_ detail: String) -> StreamingError { .init(kind: .corruptState(detail)) }

    /// What went wrong, naming the file.
    public var description: String {
        switch kind {
        case .corruptState(let detail): "cannot read the streaming state file \(detail)"
        }
    }
}
