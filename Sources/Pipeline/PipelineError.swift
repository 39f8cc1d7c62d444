/// Why the pipeline refused a call. Callers map ``unavailable`` to HTTP 503.
public struct PipelineError: Error, Equatable, CustomStringConvertible {
    private enum Kind: Equatable {
        case unavailable(String)
        case invalidSubject(String)
        case invalidConfiguration(String)
    }

    private let kind: Kind

    /// The broker is unreachable and the publish could not be accepted in time.
    public static func unavailable(_ reason: String) -> PipelineError { .init(kind: .unavailable(reason)) }
    /// The subject or filter is empty, has empty tokens, or spans more than one stream.
    public static func invalidSubject(_ subject: String) -> PipelineError { .init(kind: .invalidSubject(subject)) }
    /// `STREAMING_PIPELINE_BACKEND` or a broker URL is not usable.
    public static func invalidConfiguration(_ reason: String) -> PipelineError { .init(kind: .invalidConfiguration(reason)) }

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
        }
    }
}
