import BrokerTestSupport
import Foundation
import Logging
import Pipeline
import Synchronization

// pipelinebench: publish throughput and publish-to-subscriber latency per pipeline backend.
//
//   swift build -c release --product pipelinebench && .build/release/pipelinebench
//
// Flags: --backends memory,redis,nats  --redis-url URL  --nats-url URL  --events N
//        --concurrency N  --batch-publishers N  --batch-size N  --rate N  --seconds N
//        --nats-store tmpfs|disk (where the started nats-server keeps its file store)
// Without a URL (flag or STREAMING_REDIS_URL / STREAMING_NATS_URL) the bench starts its own
// redis-server (no AOF) and nats-server -js on free loopback ports.

/// Command-line options with defaults.
struct BenchOptions {
    var backends: [String] = ["memory", "redis", "nats"]
    var redisURL = ProcessInfo.processInfo.environment["STREAMING_REDIS_URL"]
    var natsURL = ProcessInfo.processInfo.environment["STREAMING_NATS_URL"]
    var memoryEvents = 2_000_000
    var brokerEvents = 200_000
    var sequentialEvents = 20_000
    var concurrency = 256
    var batchPublishers = 8
    var natsStore = "tmpfs"
    var batchSize = 128
    var rate = 5_000
    var seconds = 10
    let payloadSize = 1024

    /// Parses `--flag value` pairs.
    init(arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let flag = iterator.next() {
            let value = iterator.next() ?? ""
            switch flag {
            case "--backends": backends = value.split(separator: ",").map(String.init)
            case "--redis-url": redisURL = value
            case "--nats-url": natsURL = value
            case "--events": brokerEvents = Int(value) ?? brokerEvents
            case "--concurrency": concurrency = Int(value) ?? concurrency
            case "--batch-publishers": batchPublishers = Int(value) ?? batchPublishers
            case "--batch-size": batchSize = Int(value) ?? batchSize
            case "--nats-store": natsStore = value
            case "--rate": rate = Int(value) ?? rate
            case "--seconds": seconds = Int(value) ?? seconds
            default: print("unknown flag \(flag)")
            }
        }
    }
}

let options = BenchOptions(arguments: CommandLine.arguments)
var logger = Logger(label: "pipelinebench")
logger.logLevel = .warning
let payloadBytes = [UInt8](repeating: UInt8(ascii: "x"), count: options.payloadSize)
let clock = ContinuousClock()

/// CPU seconds (user + system) this process used so far.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
    let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    return user + system
}

/// Events per second over `elapsed`.
/// A duration in milliseconds.
func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

func perSecond(_ count: Int, _ elapsed: Duration) -> Int {
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return Int(Double(count) / seconds)
}

/// One publisher awaiting each publish before the next.
func sequential(_ pipeline: any EventPipeline, events: Int, subject: String) async throws -> Int {
    let started = clock.now
    for _ in 0..<events {
        _ = try await pipeline.publish(subject: subject, payload: payloadBytes)
    }
    return perSecond(events, clock.now - started)
}

/// `concurrency` publishers at once (the adapters batch or pipeline what they queue).
func concurrent(_ pipeline: any EventPipeline, events: Int, concurrency: Int, subject: String) async throws -> Int {
    let perTask = events / concurrency
    let started = clock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
        for _ in 0..<concurrency {
            group.addTask {
                for _ in 0..<perTask {
                    _ = try await pipeline.publish(subject: subject, payload: payloadBytes)
                }
            }
        }
        try await group.waitForAll()
    }
    return perSecond(perTask * concurrency, clock.now - started)
}

/// `concurrency` publishers each appending `batchSize` events per call (``EventPipeline/publish(_:)``).
func batched(_ pipeline: any EventPipeline, events: Int, concurrency: Int, batchSize: Int, subject: String) async throws -> (perSecond: Int, events: Int) {
    let batch = Array(repeating: OutgoingEvent(subject: subject, payload: payloadBytes), count: batchSize)
    let callsPerTask = max(1, events / (concurrency * batchSize))
    let started = clock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
        for _ in 0..<concurrency {
            group.addTask {
                for _ in 0..<callsPerTask {
                    let sequences = try await pipeline.publish(batch)
                    precondition(sequences.count == batchSize)
                }
            }
        }
        try await group.waitForAll()
    }
    let total = callsPerTask * concurrency * batchSize
    return (perSecond(total, clock.now - started), total)
}

/// One publisher sending `events` events with distinct idempotency keys, `batchSize` per call,
/// as order-router's event outbox does: events/s and the slowest call, which shows a pause
/// whenever the store of remembered keys stops to grow.
func keyedBatches(_ pipeline: any EventPipeline, events: Int, batchSize: Int, subject: String) async throws -> (perSecond: Int, slowest: Duration) {
    let payload = Array(payloadBytes.prefix(64))
    var slowest = Duration.zero
    var sent = 0
    let started = clock.now
    while sent < events {
        let batch = (sent..<(sent + batchSize)).map { OutgoingEvent(subject: subject, payload: payload, idempotencyKey: "or-1763798400000-\($0)-0") }
        let callStarted = clock.now
        let sequences = try await pipeline.publish(batch)
        slowest = max(slowest, clock.now - callStarted)
        precondition(sequences.count == batchSize)
        sent += batchSize
    }
    return (perSecond(sent, clock.now - started), slowest)
}

/// Publishes at a paced rate with the send instant in the payload; the subscriber measures.
func latency(_ pipeline: any EventPipeline, rate: Int, seconds: Int, subject: String, warmupSubject: String, filter: String) async throws -> (p50: Double, p99: Double, max: Double, count: Int) {
    let total = rate * seconds
    // Warm-up, not measured: half a second at the same rate creates the stream and its first
    // storage blocks and fills the connections' buffers, so the figures are the steady state.
    var due = clock.now
    for _ in 0..<(rate / 2) {
        due += .nanoseconds(1_000_000_000 / rate)
        let warmup = Task { _ = try await pipeline.publish(subject: warmupSubject, payload: payloadBytes) }
        _ = warmup
        try await clock.sleep(until: due, tolerance: .microseconds(50))
    }
    try await Task.sleep(for: .milliseconds(100))
    let subscription = try await pipeline.subscribe(filter, from: .new)
    let origin = clock.now
    let reader = Task { () throws -> [Double] in
        var samples: [Double] = []
        samples.reserveCapacity(total)
        for try await event in subscription {
            let now = clock.now - origin
            let sentNanos = event.payload.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: Int64.self) }
            let nowNanos = now.components.seconds * 1_000_000_000 + now.components.attoseconds / 1_000_000_000
            samples.append(Double(nowNanos - sentNanos) / 1e6)
            if samples.count == total { break }
        }
        return samples
    }
    let interval = Duration.nanoseconds(1_000_000_000 / rate)
    var next = clock.now
    for _ in 0..<total {
        next += interval
        let sent = clock.now - origin
        var body = payloadBytes
        let nanos = sent.components.seconds * 1_000_000_000 + sent.components.attoseconds / 1_000_000_000
        withUnsafeBytes(of: nanos) { body.replaceSubrange(0..<8, with: $0) }
        let publish = Task {
            let started = clock.now
            _ = try await pipeline.publish(subject: subject, payload: body)
            let elapsed = clock.now - started
            acknowledgements.withLock { $0.append(milliseconds(elapsed)) }
        }
        _ = publish
        try await clock.sleep(until: next, tolerance: .microseconds(50))
    }
    let samples = try await reader.value.sorted()
    let acknowledged = acknowledgements.withLock { samples in
        defer { samples.removeAll() }
        return samples.sorted()
    }
    if !acknowledged.isEmpty {
        print("  publish acknowledged after: p50=\(format(acknowledged[acknowledged.count / 2])) ms p99=\(format(acknowledged[acknowledged.count * 99 / 100])) ms")
    }
    func quantile(_ q: Double) -> Double { samples.isEmpty ? .nan : samples[min(samples.count - 1, Int(Double(samples.count) * q))] }
    return (quantile(0.5), quantile(0.99), samples.last ?? .nan, samples.count)
}

/// How long each paced publish waited for the broker's acknowledgement (ms).
let acknowledgements = Mutex<[Double]>([])

/// Three decimals.
func format(_ value: Double) -> String { String(format: "%.3f", value) }

/// Runs the three measurements on one backend and prints them.
func bench(name: String, pipeline: any EventPipeline, throughputEvents: Int) async throws {
    let clockStart = clock.now
    while !(await pipeline.isReady()) {
        if clock.now - clockStart > .seconds(10) { throw PipelineError.unavailable("\(name) not ready") }
        try await Task.sleep(for: .milliseconds(20))
    }
    // Latency first, on a quiet broker: after the throughput runs the broker (and the disk,
    // for NATS's file store) is still busy with hundreds of megabytes, which is another test.
    let measured = try await latency(pipeline, rate: options.rate, seconds: options.seconds, subject: "benchlat.s-1", warmupSubject: "benchlat.warmup.s-1", filter: "benchlat.*")
    print("\(name) latency publish->subscriber at \(options.rate)/s (1 KiB, \(measured.count) events): p50=\(format(measured.p50)) ms p99=\(format(measured.p99)) ms max=\(format(measured.max)) ms")
    let sequentialCount = name == "memory" ? throughputEvents : options.sequentialEvents
    let single = try await sequential(pipeline, events: sequentialCount, subject: "benchseq.s-1")
    print("\(name) publish sequential (1 publisher, 1 KiB): \(single) events/s over \(sequentialCount) events")
    let cpuBefore = cpuSeconds()
    let many = try await concurrent(pipeline, events: throughputEvents, concurrency: options.concurrency, subject: "benchpub.s-1")
    let cpuPerEvent = (cpuSeconds() - cpuBefore) / Double(throughputEvents) * 1e6
    print("\(name) publish concurrent (\(options.concurrency) publishers, 1 KiB): \(many) events/s over \(throughputEvents) events, client CPU \(format(cpuPerEvent)) us/event")
    let batchCPUBefore = cpuSeconds()
    let batches = try await batched(pipeline, events: throughputEvents, concurrency: options.batchPublishers, batchSize: options.batchSize, subject: "benchbatch.s-1")
    let batchCPU = (cpuSeconds() - batchCPUBefore) / Double(batches.events) * 1e6
    print("\(name) publish batches (\(options.batchPublishers) publishers, \(options.batchSize) events per call, 1 KiB): \(batches.perSecond) events/s over \(batches.events) events, client CPU \(format(batchCPU)) us/event")
}

var servers: [BrokerServer] = []
for backend in options.backends {
    switch backend {
    case "memory":
        let pipeline = MemoryPipeline(retention: PipelineRetention(maxLength: 1_000_000))
        try await bench(name: "memory", pipeline: pipeline, throughputEvents: options.memoryEvents)
        let keyedEvents = 4_000_000
        // A one-second deduplication window, so that generations of keys also turn and drop.
        let keyed = try await keyedBatches(MemoryPipeline(retention: PipelineRetention(maxLength: 100_000, deduplicationWindow: .seconds(1))),
                                           events: keyedEvents, batchSize: 256, subject: "benchkeys.s-1")
        print("memory publish with idempotency keys (1 publisher, 256 events per call, \(keyedEvents) distinct keys, 1 s window): \(keyed.perSecond) events/s, slowest call \(format(milliseconds(keyed.slowest))) ms")
    case "redis":
        var url = options.redisURL
        if url == nil {
            let server = try await BrokerServer.startRedis(appendOnly: false)
            servers.append(server)
            url = server.url
            print("redis: started redis-server on \(server.url) (no AOF)")
        }
        let configuration = PipelineConfiguration(backend: .redis, redisURL: try RedisURL(url!), retention: PipelineRetention(maxLength: 1_000_000))
        let pipeline = PipelineFactory.make(configuration: configuration, logger: logger)
        try await bench(name: "redis", pipeline: pipeline, throughputEvents: options.brokerEvents)
        await pipeline.shutdown()
    case "nats":
        var url = options.natsURL
        if url == nil {
            // Like the redis-server above (no AOF), the broker's store is kept off the disk when
            // the machine has a tmpfs, so both rows measure the adapters and the brokers, not
            // the virtual disk (--nats-store disk puts it on the temporary directory's disk).
            let tmpfs = URL(fileURLWithPath: "/dev/shm")
            let onTmpfs = options.natsStore == "tmpfs" && FileManager.default.isWritableFile(atPath: tmpfs.path)
            let server = try await BrokerServer.startNats(parent: onTmpfs ? tmpfs : nil)
            servers.append(server)
            url = server.url
            print("nats: started nats-server -js on \(server.url) (file storage in \(server.dataDirectory.path)\(onTmpfs ? ", a tmpfs" : ", on disk"))")
        }
        let configuration = PipelineConfiguration(backend: .nats, natsURL: try NatsURL(url!), retention: PipelineRetention(maxLength: 1_000_000))
        let pipeline = PipelineFactory.make(configuration: configuration, logger: logger)
        try await bench(name: "nats", pipeline: pipeline, throughputEvents: options.brokerEvents)
        await pipeline.shutdown()
    default:
        print("unknown backend \(backend)")
    }
}
for server in servers { await server.stop() }
