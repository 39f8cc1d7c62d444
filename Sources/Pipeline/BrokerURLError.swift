/// Why a broker URL (`STREAMING_REDIS_URL`, `STREAMING_NATS_URL`) was refused.
public struct BrokerURLError: Error, CustomStringConvertible {
    private enum Kind {
        case malformed(String)
    }

    private let kind: Kind

    /// The URL cannot be used; `reason` names it and what is wrong.
    static func malformed(_ reason: String) -> BrokerURLError { .init(kind: .malformed(reason)) }

    /// What is wrong, naming the URL.
    public var reason: String {
        switch kind {
        case .malformed(let reason): reason
        }
    }

    public var description: String { reason }
}
