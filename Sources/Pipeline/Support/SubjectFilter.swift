/// A validated subject or filter: dot-separated tokens whose first token names the stream.
///
/// Publish subjects are plain (`market.m-1`); filters may use `*` for one token and `>` as the
/// last token for the rest (`overlay.*`, `market.>`). The stream token is never a wildcard, so a
/// filter always stays inside one stream. Tokens hold letters, digits, `-`, `_`, `:` and `@`;
/// the stream token is lowercase ASCII letters, digits, `-` or `_` so every broker can name it.
public struct SubjectFilter: Sendable, Hashable, CustomStringConvertible {
    /// The text as given, for example `market.>`.
    public let text: String
    /// The first token: the stream every matching subject belongs to.
    public let stream: String
    /// The tokens, wildcards included.
    public let tokens: [String]
    /// Whether the filter holds `*` or `>`.
    public let hasWildcards: Bool

    public var description: String { text }

    /// Parses a filter (wildcards allowed).
    public init(filter text: String) throws(PipelineError) {
        try self.init(text, allowWildcards: true)
    }

    /// Parses a publish subject (no wildcards).
    public init(subject text: String) throws(PipelineError) {
        try self.init(text, allowWildcards: false)
    }

    private init(_ text: String, allowWildcards: Bool) throws(PipelineError) {
        guard !text.isEmpty, text.utf8.count <= 256 else { throw .invalidSubject(text) }
        let tokens = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        var wildcards = false
        for (index, token) in tokens.enumerated() {
            guard !token.isEmpty else { throw .invalidSubject(text) }
            if token == "*" || token == ">" {
                guard allowWildcards, index > 0 else { throw .invalidSubject(text) }
                if token == ">" && index != tokens.count - 1 { throw .invalidSubject(text) }
                wildcards = true
                continue
            }
            for byte in token.utf8 {
                let allowed: Bool
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                    UInt8(ascii: "-"), UInt8(ascii: "_"):
                    allowed = true
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: ":"), UInt8(ascii: "@"):
                    allowed = index > 0
                default:
                    allowed = false
                }
                guard allowed else { throw .invalidSubject(text) }
            }
        }
        self.text = text
        self.stream = tokens[0]
        self.tokens = tokens
        self.hasWildcards = wildcards
    }

    /// Whether a plain subject matches this filter.
    public func matches(_ subject: String) -> Bool {
        if !hasWildcards { return subject == text }
        var index = 0
        for part in subject.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
            guard index < tokens.count else { return false }
            let token = tokens[index]
            if token == ">" { return true }
            if token != "*" && !token.utf8.elementsEqual(part) { return false }
            index += 1
        }
        return index == tokens.count
    }

    /// The stream of a plain subject, validating it, without building a full filter: the hot path
    /// of ``MemoryPipeline/publish(subject:payload:idempotencyKey:)``.
    static func streamOfSubject(_ subject: String) throws(PipelineError) -> Substring {
        let valid = subject.utf8.withContiguousStorageIfAvailable { bytes -> Int? in
            guard !bytes.isEmpty, bytes.count <= 256 else { return nil }
            var tokenStart = 0
            var streamEnd = -1
            for (index, byte) in bytes.enumerated() {
                switch byte {
                case UInt8(ascii: "."):
                    if index == tokenStart { return nil }
                    if streamEnd < 0 { streamEnd = index }
                    tokenStart = index + 1
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                    UInt8(ascii: "-"), UInt8(ascii: "_"):
                    continue
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: ":"), UInt8(ascii: "@"):
                    if streamEnd < 0 { return nil }
                default:
                    return nil
                }
            }
            if tokenStart == bytes.count { return nil }
            return streamEnd < 0 ? bytes.count : streamEnd
        }
        switch valid {
        case .some(.some(let end)):
            let stringIndex = subject.utf8.index(subject.utf8.startIndex, offsetBy: end)
            return subject[subject.startIndex..<stringIndex]
        case .some(.none):
            throw .invalidSubject(subject)
        case .none:
            return Substring(try SubjectFilter(subject: subject).stream)
        }
    }
}
