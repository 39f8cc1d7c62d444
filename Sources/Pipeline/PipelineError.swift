/// Why the pipeline refused a call. Callers map ``unavailable`` to HTTP 503.
public struct PipelineError: Error, Equatable, CustomStringConvertible {
    private enum Kind: Equatable {
        case unavailable(String)
        case invalidSubject(String)
        case invalidConfiguration(String)
        case slowSubscriber(String)
    }

    private let kind: Kind

    /// The broker is unreachable and the publish could not be accepted in time.
    public static func unavailable(_ reason: String) -> PipelineError { .init(kind: .unavailable(reason)) }
    /// The subject or filter is empty, has empty tokens, or spans more than one stream.
    public static func invalidSubject(_ subject: String) -> PipelineError { .init(kind: .invalidSubject(subject)) }
    /// `STREAMING_PIPELINE_BACKEND` or a broker URL is not usable.
    public static func invalidConfiguration(_ reason: String) -> PipelineError { .init(kind: .invalidConfiguration(reason)) }

    /// The subscriber did not keep up and its bounded buffer overflowed: its subscription ends
    /// with this error rather than silently skipping events. Resubscribe with `.after(last)`.
    public static func slowSubscriber(_ reason: String) -> PipelineError { .init(kind: .slowSubscriber(reason)) }

    /// True when the subscription ended because its consumer fell too far behind.
    public var isSlowSubscriber: Bool {
        if case .slowSubscriber = kind { return true }
        return false
    }

    /// True when the broker could not be reached (HTTP 503 upstream).
    public var isUnavailable: Bool {
        if case .unavailable = kind { return true }
        return false
    }

    public var description: String {
        switch kind {
        case .unavailable(let reason): "pipeline unavailable: \(reason)"
        case .invalidSubject(let subject): "invalid subject or filter: '\(subject)'"
        case .invalidConfiguration(let reason): "invalid pipeline configuration: \(reason)"
        case .slowSubscriber(let reason): "subscriber too slow: \(reason)"
        }
    }
}
