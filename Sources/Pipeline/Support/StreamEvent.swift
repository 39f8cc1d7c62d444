/// An ``OutgoingEvent`` whose subject was checked, with the stream it belongs to: what the
/// Redis and NATS publishers queue.
struct StreamEvent: Sendable {
    /// The subject's first token.
    let stream: String
    let subject: String
    let key: String?
    let payload: [UInt8]

    /// Checks the subject (``PipelineError/invalidSubject(_:)``) and names its stream.
    init(_ event: OutgoingEvent) throws {
        stream = String(try SubjectFilter.streamOfSubject(event.subject))
        subject = event.subject
        key = event.idempotencyKey
        payload = event.payload
    }
}
