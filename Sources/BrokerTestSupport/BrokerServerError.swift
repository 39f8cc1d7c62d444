/// Why a test broker could not be started (or a test's subprocess failed).
public struct BrokerServerError: Error, CustomStringConvertible {
    private enum Kind {
        case notInstalled(String)
        case failed(String)
    }

    private let kind: Kind

    /// The broker binary is missing: the message tells to run `make setup`.
    public static func notInstalled(_ binary: String) -> BrokerServerError { .init(kind: .notInstalled(binary)) }
    /// The broker (or a tool a test runs) failed; `reason` says how.
    public static func failed(_ reason: String) -> BrokerServerError { .init(kind: .failed(reason)) }

    public var description: String {
        switch kind {
        case .notInstalled(let binary):
            "\(binary) is not installed (looked in /usr/bin, /usr/sbin, /usr/local/bin and PATH): run `make setup`"
        case .failed(let reason):
            reason
        }
    }
}
