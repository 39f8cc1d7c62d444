/// Why operator keys could not be loaded.
public struct OperatorKeyStoreError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Kind: Hashable, Sendable {
        case missingConfiguration, unreadableFile, malformed
    }

    private let kind: Kind
    /// Which entry or file; never a key.
    public let detail: String?

    private init(_ kind: Kind, _ detail: String? = nil) {
        self.kind = kind
        self.detail = detail
    }

    /// Neither `OPERATOR_KEYS_FILE` nor `OPERATOR_API_KEYS` is set.
    public static let missingConfiguration = OperatorKeyStoreError(.missingConfiguration)
    /// `OPERATOR_KEYS_FILE` names a file that cannot be read.
    public static let unreadableFile = OperatorKeyStoreError(.unreadableFile)
    /// The file or variable is not in the documented format.
    public static let malformed = OperatorKeyStoreError(.malformed)

    /// The same error with words about this occurrence.
    public func with(detail: String) -> OperatorKeyStoreError {
        OperatorKeyStoreError(kind, detail)
    }

    /// What went wrong and which variable to set; never contains a key.
    public var description: String {
        let base: String = switch kind {
        case .missingConfiguration: "set OPERATOR_KEYS_FILE (hashed keys) or OPERATOR_API_KEYS (development) to authenticate operators"
        case .unreadableFile: "cannot read OPERATOR_KEYS_FILE"
        case .malformed: "malformed operator keys"
        }
        guard let detail else { return base }
        return "\(base): \(detail)"
    }

    /// Errors are equal when their kinds are.
    public static func == (lhs: OperatorKeyStoreError, rhs: OperatorKeyStoreError) -> Bool { lhs.kind == rhs.kind }

    /// Hashes the kind only, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(kind) }
}
