/// How pipeline streams map onto JetStream. Documented in docs/pipeline.md.
enum NatsStreamNames {
    /// The JetStream stream of a pipeline stream: `PIPELINE_{STREAM}` (`market` → `PIPELINE_MARKET`).
    /// Stream tokens are lowercase by validation, so the mapping cannot collide.
    static func jetStreamName(_ stream: String) -> String {
        "PIPELINE_" + stream.uppercased()
    }

    /// The subjects the JetStream stream captures: the bare token and everything under it.
    static func subjects(_ stream: String) -> [String] {
        [stream, stream + ".>"]
    }

    /// The header that carries an idempotency key.
    static let idempotencyHeader = "Nats-Msg-Id"
}
