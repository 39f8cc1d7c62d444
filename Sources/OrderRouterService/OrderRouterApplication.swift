import AsyncHTTPClient
import Foundation
import HTTPCore
import Hummingbird
import Logging
import MarketEngine
import NIOPosix
import Pipeline
import ServiceLifecycle

/// order-router assembled: the engine rebuilt from the journal, the group committer, the
/// event publisher, the report sender and the HTTP application.
public struct OrderRouterApplication: Sendable {
    /// The HTTP application; its services (publisher, report sender, committer) run with it.
    public let application: Application<RouterResponder<BasicRequestContext>>
    /// The engine's actor (tests compare its snapshot; benchmarks read it).
    public let core: MatchingCore
    /// The pipeline publisher (its health drives `/readyz`).
    public let eventPublisher: EventPublisher
    /// Events waiting for the pipeline.
    public let eventOutbox: Outbox<PendingEvent>
    /// Reports waiting for streaming; `nil` when reports are disabled.
    public let reportOutbox: Outbox<ExecutionReport>?
    /// Journal entries replayed at start.
    public let replayedEntries: Int

    /// Milliseconds since the epoch: the engine's clock in production.
    public static func wallClockMilliseconds() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }

    /// Rebuilds the engine from `configuration.journalPath` and wires the service.
    /// Throws ``OrderJournalError`` when the journal cannot be opened or replayed.
    public static func build(
        configuration: OrderRouterConfiguration,
        pipeline: any EventPipeline,
        logger: Logger,
        httpClient: HTTPClient = .shared,
        clock: @escaping @Sendable () -> Int64 = { OrderRouterApplication.wallClockMilliseconds() }
    ) async throws -> OrderRouterApplication {
        let journal = try OrderJournal(path: configuration.journalPath)
        let watermark = try PublishedWatermark(path: PublishedWatermark.path(forJournal: configuration.journalPath))
        let published = watermark.read()
        let lines = try journal.readLines()
        var engine = MarketEngine(clock: clock)
        // Events of entries the pipeline had not taken when the last run ended: queued again.
        var unpublished: [PendingEvent] = []
        var journalStart = JournalStart()
        for (index, line) in lines.enumerated() {
            do {
                let outcome = try engine.replay(JournalEntry(jsonLine: line))
                guard let entry = outcome.entry else { continue }
                let start = journalStart.start(of: entry)
                if let published, entry.sequence > published {
                    PendingEvent.append(outcome.events, of: entry.sequence, journalStart: start, to: &unpublished)
                }
            } catch {
                throw OrderJournalError.corrupt("\(configuration.journalPath) line \(index + 1): \(error)")
            }
        }
        let journaled = engine.nextSequence - 1
        if published == nil {
            // A new journal, or one from before the mark existed: from here on every event
            // counts.
            try watermark.recordDurably(journaled)
        } else if let published, published > journaled {
            // A mark left from another journal (this one was replaced or emptied): it would
            // hide the next entries' events after a crash.
            logger.warning("published-events mark ahead of the journal; reset", metadata: [
                "journal.published_through": "\(published)", "journal.entries": "\(journaled)",
            ])
            try watermark.recordDurably(journaled)
        }
        logger.info("engine rebuilt from the journal", metadata: [
            "journal.path": "\(configuration.journalPath)", "journal.entries": "\(lines.count)",
            "events.requeued": "\(unpublished.count)",
        ])

        let eventOutbox = Outbox<PendingEvent>(capacity: configuration.eventOutboxCapacity)
        if !unpublished.isEmpty {
            logger.notice("re-sending the events the pipeline had not taken before the restart", metadata: [
                "events.requeued": "\(unpublished.count)", "journal.published_through": "\(published ?? 0)",
            ])
            eventOutbox.append(unpublished)
        }
        let reportOutbox = configuration.reports.map { Outbox<ExecutionReport>(capacity: $0.outboxCapacity) }
        let core = MatchingCore(engine: engine, eventOutbox: eventOutbox)
        let publisher = EventPublisher(pipeline: pipeline, outbox: eventOutbox, watermark: watermark, logger: logger)
        let committer = JournalCommitter(core: core, journal: journal, journalStart: journalStart, events: eventOutbox,
                                         reports: reportOutbox, threadPool: NIOThreadPool.singleton, logger: logger)
        // Shutdown runs in reverse: the server drains, the committer writes the last batch and
        // closes the outboxes, then the senders drain them.
        var services: [any Service] = [publisher]
        if let settings = configuration.reports, let reportOutbox {
            services.append(ReportSender(settings: settings, outbox: reportOutbox, httpClient: httpClient, logger: logger))
            logger.info("execution reports enabled", metadata: ["streaming.url": "\(settings.ingestURL)", "room.id": "\(settings.roomId)"])
        } else {
            logger.info("execution reports disabled: STREAMING_INGEST_URL is not set")
        }
        services.append(committer)

        let router = Router(context: BasicRequestContext.self)
        StandardMiddleware.install(on: router, service: "order-router", settings: configuration.http, checks: [
            ReadinessCheck(name: "pipeline") { await pipeline.isReady() },
            ReadinessCheck(name: "event-outbox") { publisher.isHealthy && !eventOutbox.isFull },
            ReadinessCheck(name: "journal") { await !core.hasFailed },
        ])
        let routes = OrderRouterRoutes(
            core: core,
            authenticator: OperatorAuthenticator(keys: configuration.operatorKeys, adminToken: Array(configuration.adminToken.utf8)),
            adminToken: configuration.adminToken,
            maxBodyBytes: configuration.http.maxBodyBytes,
            maxBatchOrders: configuration.maxBatchOrders
        )
        routes.add(to: router)

        let application = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.http.host, port: configuration.http.port), serverName: "order-router"),
            services: services,
            logger: logger
        )
        return OrderRouterApplication(application: application, core: core, eventPublisher: publisher, eventOutbox: eventOutbox,
                                      reportOutbox: reportOutbox, replayedEntries: lines.count)
    }
}
