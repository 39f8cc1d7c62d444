import Foundation
import Logging
import Synchronization

/// The NATS JetStream adapter (`STREAMING_PIPELINE_BACKEND=nats`) through nats.c.
///
/// Each pipeline stream is the JetStream stream `PIPELINE_{STREAM}` (subjects `{stream}` and
/// `{stream}.>`, file storage, `MaxAge` and `MaxMsgs` from ``PipelineRetention``, duplicate
/// window from it too). The sequence is the JetStream stream sequence; idempotency keys travel
/// as `Nats-Msg-Id`. Publishing is asynchronous (`js_PublishMsgAsync`); subscriptions and
/// replay use ephemeral pull consumers starting at a sequence. nats.c reconnects by itself;
/// the adapter never throws at start and ``isReady()`` reports the connection.
public final class NatsJetStreamPipeline: EventPipeline {
    private let url: NatsURL
    private let publishTimeout: Duration
    private let subscriberBufferCapacity: Int
    private let logger: Logger
    private let publisher: NatsPublisher
    private let client: NatsClient?
    private let setupFailure: String?
    private let blocking = BlockingWork(label: "pipeline.nats.replay")
    private let subscriptions = Mutex<[ObjectIdentifier: SubscriptionMailbox]>([:])

    /// Starts connecting to `configuration.natsURL` in the background.
    public init(configuration: PipelineConfiguration, logger: Logger) {
        self.url = configuration.natsURL
        self.publishTimeout = configuration.publishTimeout
        self.subscriberBufferCapacity = configuration.subscriberBufferCapacity
        self.logger = logger
        // nats.c may call the acknowledgement handler until its connection is destroyed, so the
        // handler's closure keeps the publisher alive for good (one small object per pipeline).
        let publisher = NatsPublisher(publishTimeout: configuration.publishTimeout, logger: logger)
        self.publisher = publisher
        do {
            let client = try NatsClient(
                url: configuration.natsURL, retention: configuration.retention, apiWait: configuration.publishTimeout,
                ackHandler: NatsPublisher.ackHandler, ackClosure: Unmanaged.passRetained(publisher).toOpaque())
            self.client = client
            self.setupFailure = nil
            publisher.start(client: client)
            if !client.isConnected {
                logger.warning("pipeline cannot reach NATS yet, retrying in the background", metadata: ["nats.url": "\(url)"])
            }
        } catch {
            self.client = nil
            self.setupFailure = error.description
            logger.error("pipeline cannot set up NATS", metadata: ["nats.url": "\(url)", "error": "\(error)"])
        }
    }

    deinit {
        publisher.shutdown()
        client?.close()
    }

    private func requireClient() throws -> NatsClient {
        guard let client else { throw PipelineError.unavailable("NATS client not set up: \(setupFailure ?? "unknown")") }
        return client
    }

    public func publish(subject: String, payload: [UInt8], idempotencyKey: String?) async throws -> UInt64 {
        try await publish([OutgoingEvent(subject: subject, payload: payload, idempotencyKey: idempotencyKey)])[0]
    }

    /// Hands the events to nats.c in order on the one connection (JetStream stores them in
    /// that order) and waits for every acknowledgement: no round trip per event.
    public func publish(_ events: [OutgoingEvent]) async throws -> [UInt64] {
        let items = try events.map(StreamEvent.init)
        _ = try requireClient()
        return try await publisher.publish(items)
    }

    public func subscribe(_ filter: String, from start: SubscriptionStart) async throws -> PipelineSubscription {
        let filter = try SubjectFilter(filter: filter)
        let client = try requireClient()
        let mailbox = SubscriptionMailbox(capacity: subscriberBufferCapacity)
        let reader = NatsSubscriptionReader(client: client, filter: filter, start: start, mailbox: mailbox, logger: logger)
        let id = ObjectIdentifier(mailbox)
        subscriptions.withLock { $0[id] = mailbox }
        mailbox.setOnCancel { [weak self] in
            _ = self?.subscriptions.withLock { $0.removeValue(forKey: id) }
        }
        reader.start()
        if start == .new {
            try await reader.waitUntilPositioned(timeout: publishTimeout)
        }
        return mailbox.subscription()
    }

    public func replay(_ filter: String, after: UInt64, limit: Int) async throws -> ReplayPage {
        let filter = try SubjectFilter(filter: filter)
        let client = try requireClient()
        return try await blocking.run {
            do {
                try client.ensureStream(filter.stream)
                let state = try client.streamState(filter.stream)
                let firstAvailable = state.messages == 0 ? 0 : state.first
                let lastSequence = state.messages == 0 ? 0 : state.last
                guard limit > 0, after < state.last, state.messages > 0 else {
                    return ReplayPage(events: [], nextAfter: after, firstAvailable: firstAvailable, lastSequence: lastSequence)
                }
                let consumer = try client.pullConsumer(filter: filter, after: after)
                defer { client.drop(consumer) }
                var events: [PipelineEvent] = []
                fetching: while events.count < limit {
                    let fetched = try client.fetch(consumer, batch: min(256, limit - events.count))
                    if fetched.isEmpty { break }
                    for item in fetched {
                        events.append(item.event)
                        if item.pending == 0 || item.event.sequence >= state.last { break fetching }
                    }
                }
                return ReplayPage(events: events, nextAfter: events.last?.sequence ?? after, firstAvailable: firstAvailable, lastSequence: lastSequence)
            } catch let failure as NatsClient.Failure {
                throw PipelineError.unavailable("NATS replay failed: \(failure)")
            }
        }
    }

    public func isReady() async -> Bool { client?.isConnected ?? false }

    /// Stops the publisher, ends every subscription with `unavailable` and closes the connection.
    public func shutdown() async {
        publisher.shutdown()
        let open = subscriptions.withLock { subscriptions in
            defer { subscriptions.removeAll() }
            return Array(subscriptions.values)
        }
        for mailbox in open { mailbox.fail(PipelineError.unavailable("the NATS pipeline is shut down")) }
        client?.close()
    }
}
