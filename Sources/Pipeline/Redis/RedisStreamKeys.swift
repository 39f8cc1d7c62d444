/// The Redis key names of one pipeline stream. Documented in docs/pipeline.md.
struct RedisStreamKeys: Sendable {
    /// The Redis stream holding the events: `pipeline:{stream}`.
    let events: String
    /// The INCR counter of the last sequence: `pipeline:{stream}:seq`.
    let sequence: String

    /// The keys of pipeline stream `stream`.
    init(stream: String) {
        events = "pipeline:\(stream)"
        sequence = "pipeline:\(stream):seq"
    }

    /// Reads a pipeline event out of one `XRANGE`/`XREAD` entry (`[id, [field, value, ...]]`).
    static func event(from entry: RedisValue) -> PipelineEvent? {
        let parts = entry.elements
        guard parts.count == 2 else { return nil }
        let fields = parts[1].elements
        var sequence: UInt64?
        var timestamp: Int64 = 0
        var subject: String?
        var payload: [UInt8] = []
        var index = 0
        while index + 1 < fields.count {
            switch fields[index].text {
            case "seq": sequence = fields[index + 1].integer.map { UInt64($0) }
            case "ts": timestamp = fields[index + 1].integer ?? 0
            case "subject": subject = fields[index + 1].text
            case "payload":
                if case .string(let bytes) = fields[index + 1] { payload = bytes }
            default: break
            }
            index += 2
        }
        guard let sequence, let subject else { return nil }
        return PipelineEvent(subject: subject, sequence: sequence, timestamp: timestamp, payload: payload)
    }

    /// The sequence in an entry ID `0-{seq}`.
    static func sequence(fromID id: String) -> UInt64? {
        guard let dash = id.firstIndex(of: "-") else { return nil }
        return UInt64(id[id.index(after: dash)...])
    }
}
