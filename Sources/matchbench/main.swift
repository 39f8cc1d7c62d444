// matchbench: the matching core in process on one thread. Orders/s and per-command latency
// (p50/p99/p99.9) for a realistic mix, with events generated, then with every event also
// encoded to JSON bytes.
//
// Usage: matchbench [commands=1000000] [seed=1] [mode=all|events|json]
// (MATCHBENCH_CHECKSUM=0 skips the untimed output checksum pass.)

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MarketEngine

/// Deterministic pseudo-random numbers (SplitMix64).
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func nanoseconds() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

/// CPU time of this thread: on a machine shared with other builds, wall time alone
/// understates what one core does.
func threadCPUNanoseconds() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

let arguments = CommandLine.arguments
let commandCount = arguments.count > 1 ? Int(arguments[1]) ?? 1_000_000 : 1_000_000
let seed = arguments.count > 2 ? UInt64(arguments[2]) ?? 1 : 1
let mode = arguments.count > 3 ? arguments[3] : "all"

let marketCount = 10
let operatorCount = 50
let marketIds = (0..<marketCount).map { "market-\($0)" }
let outcomeIds = marketIds.map { ["\($0)-yes", "\($0)-no"] }
let operatorIds = (0..<operatorCount).map { "op-\($0)" }
let playerIds = (0..<operatorCount).map { "player-\($0)" }

/// The mix: 65 % limit orders around a drifting mid (about 30 % of them priced through the
/// touch so they cross), 25 % cancels by their owner of orders still resting, 10 % small
/// market orders. Commands are generated against a scratch engine so cancels name live orders
/// (the engine is deterministic: the measured runs see the same outcomes).
func makeCommands() -> (setup: [EngineCommand], load: [EngineCommand], placements: Int) {
    var rng = SplitMix(state: seed)
    let setup = marketIds.map { EngineCommand.createMarket(.binary(marketId: $0)) }
    var scratch = MarketEngine(clock: { 1_708_293_600_000 })
    for command in setup { _ = try? scratch.apply(command) }
    var live: [(id: String, owner: String)] = []
    var slot: [String: Int] = [:]
    func remove(_ id: String) {
        guard let index = slot.removeValue(forKey: id) else { return }
        let last = live.removeLast()
        if index < live.count {
            live[index] = last
            slot[last.id] = index
        }
    }
    var events: [MarketEvent] = []
    var load: [EngineCommand] = []
    load.reserveCapacity(commandCount)
    var mids = Array(repeating: Array(repeating: 50, count: 2), count: marketCount)
    var placed = 0
    for _ in 0..<commandCount {
        let market = Int.random(in: 0..<marketCount, using: &rng)
        let outcome = Int.random(in: 0..<2, using: &rng)
        let trader = Int.random(in: 0..<operatorCount, using: &rng)
        let roll = Int.random(in: 0..<100, using: &rng)
        let command: EngineCommand
        if roll < 25 && !live.isEmpty {
            let target = live[Int.random(in: 0..<live.count, using: &rng)]
            command = .cancelOrder(CancelOrder(orderId: target.id, operatorId: target.owner))
        } else {
            if Int.random(in: 0..<50, using: &rng) == 0 {
                mids[market][outcome] = min(90, max(10, mids[market][outcome] + Int.random(in: -1...1, using: &rng)))
            }
            let mid = mids[market][outcome]
            let side: OrderSide = Bool.random(using: &rng) ? .buy : .sell
            let shares = FixedDecimal(rawValue: Int64.random(in: 1...20, using: &rng) * 5_000_000)
            placed += 1
            if roll < 35 {
                command = .placeOrder(PlaceOrder(
                    marketId: marketIds[market], outcomeId: outcomeIds[market][outcome], side: side, type: .market,
                    shares: FixedDecimal(rawValue: shares.rawValue / 5), price: nil,
                    operatorId: operatorIds[trader], playerId: playerIds[trader]))
            } else {
                // Passive orders sit 1...8 ticks from the mid; aggressive ones reach 1...3 ticks through it.
                let crossing = Int.random(in: 0..<100, using: &rng) < 30
                let distance = crossing ? -Int.random(in: 1...3, using: &rng) : Int.random(in: 1...8, using: &rng)
                let tick = side == .buy ? mid - distance : mid + distance
                command = .placeOrder(PlaceOrder(
                    marketId: marketIds[market], outcomeId: outcomeIds[market][outcome], side: side, type: .limit,
                    shares: shares, price: FixedDecimal(rawValue: Int64(min(99, max(1, tick))) * 10_000),
                    operatorId: operatorIds[trader], playerId: playerIds[trader]))
            }
        }
        load.append(command)
        events.removeAll(keepingCapacity: true)
        _ = try? scratch.apply(command, appendingEventsTo: &events)
        for event in events {
            guard case .order(let update) = event else { continue }
            if update.order.status.isOpen {
                if slot[update.order.id] == nil {
                    slot[update.order.id] = live.count
                    live.append((update.order.id, update.order.operatorId))
                }
            } else {
                remove(update.order.id)
            }
        }
    }
    restingAtEnd = live.count
    return (setup, load, placed)
}

nonisolated(unsafe) var restingAtEnd = 0

/// Journal entries the harness keeps before dropping them, as a group commit would.
let commitBatchSize = 256

struct RunResult {
    var seconds: Double
    var cpuSeconds: Double
    var events: Int
    var trades: Int
    var rejected: Int
    var bytes: Int
    var latencies: [UInt64]
}

func run(_ commands: (setup: [EngineCommand], load: [EngineCommand], placements: Int), encode: Bool, timeEach: Bool) -> RunResult {
    var engine = MarketEngine(clock: { 1_708_293_600_000 })
    var events: [MarketEvent] = []
    events.reserveCapacity(64)
    for command in commands.setup {
        _ = try? engine.apply(command, appendingEventsTo: &events)
    }
    let encoder = EventJSONEncoder()
    var buffer: [UInt8] = []
    buffer.reserveCapacity(1 << 16)
    var eventCount = 0
    var trades = 0
    var rejected = 0
    var bytes = 0
    var latencies: [UInt64] = []
    if timeEach { latencies.reserveCapacity(commands.load.count) }
    // Like the service's matching core, the harness keeps each journal entry until its group
    // commit, then drops the group (discarding the answer as a whole instead would destroy it
    // through the runtime's generic tuple path, a cost the service never pays).
    var entries: [JournalEntry] = []
    entries.reserveCapacity(commitBatchSize)
    let start = nanoseconds()
    let cpuStart = threadCPUNanoseconds()
    for command in commands.load {
        let before = timeEach ? nanoseconds() : 0
        events.removeAll(keepingCapacity: true)
        do {
            let (_, entry) = try engine.apply(command, appendingEventsTo: &events)
            if let entry {
                if entries.count == commitBatchSize { entries.removeAll(keepingCapacity: true) }
                entries.append(entry)
            }
        } catch {
            rejected += 1
        }
        if encode {
            for event in events {
                buffer.removeAll(keepingCapacity: true)
                encoder.encode(event, into: &buffer)
                bytes += buffer.count
            }
        }
        if timeEach { latencies.append(nanoseconds() - before) }
        eventCount += events.count
    }
    trades = engine.tradeCount
    let seconds = Double(nanoseconds() - start) / 1e9
    let cpuSeconds = Double(threadCPUNanoseconds() - cpuStart) / 1e9
    return RunResult(seconds: seconds, cpuSeconds: cpuSeconds, events: eventCount, trades: trades, rejected: rejected, bytes: bytes, latencies: latencies)
}

func percentile(_ sorted: [UInt64], _ fraction: Double) -> UInt64 {
    guard !sorted.isEmpty else { return 0 }
    return sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
}

func format(_ value: Double, _ digits: Int = 0) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    return digits == 0 ? String(Int(rounded)) : String(rounded)
}

/// The first fields of /proc/loadavg: the figures below depend on what else the machine runs.
func loadAverage() -> String {
    guard let file = fopen("/proc/loadavg", "r") else { return "unknown" }
    defer { fclose(file) }
    var line = [CChar](repeating: 0, count: 128)
    guard fgets(&line, Int32(line.count), file) != nil else { return "unknown" }
    let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return text.split(separator: " ").prefix(3).joined(separator: " ")
}

/// FNV-1a 64 over a run's observable output: every event's JSON bytes, every command's result
/// (its order or market) or error, in order. Untimed; it shows that an optimisation changed no
/// event, field, order of events or error.
func outputChecksum(_ commands: (setup: [EngineCommand], load: [EngineCommand], placements: Int)) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    func mix(_ bytes: [UInt8]) {
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        hash = (hash ^ 0xFF) &* 0x0000_0100_0000_01B3
    }
    var engine = MarketEngine(clock: { 1_708_293_600_000 })
    let encoder = EventJSONEncoder()
    var events: [MarketEvent] = []
    var buffer: [UInt8] = []
    for command in commands.setup + commands.load {
        events.removeAll(keepingCapacity: true)
        buffer.removeAll(keepingCapacity: true)
        do {
            let (result, entry) = try engine.apply(command, appendingEventsTo: &events)
            switch result {
            case .order(let order): encoder.write(order, into: &buffer)
            case .market(let market): buffer.append(contentsOf: Array("\(market)".utf8))
            }
            buffer.append(contentsOf: Array("seq \(entry?.sequence ?? 0)".utf8))
        } catch {
            buffer.append(contentsOf: Array("error \(error)".utf8))
        }
        mix(buffer)
        for event in events {
            buffer.removeAll(keepingCapacity: true)
            encoder.encode(event, into: &buffer)
            mix(buffer)
        }
    }
    return hash
}

let commands = makeCommands()
// MATCHBENCH_CHECKSUM=0 skips the pass (for clean profiles).
if getenv("MATCHBENCH_CHECKSUM").map({ String(cString: $0) }) != "0" {
    print("output checksum (FNV-1a 64 of every event's JSON and every result or error): \(String(outputChecksum(commands), radix: 16))")
}
print("load average before the runs: \(loadAverage())")
print("matchbench: \(commands.load.count) commands (\(commands.placements) orders, \(commands.load.count - commands.placements) cancels) on \(marketCount) binary markets, \(operatorCount) operators, seed \(seed); \(restingAtEnd) orders resting at the end")
_ = run((commands.setup, Array(commands.load.prefix(100_000)), 0), encode: mode != "events", timeEach: false)  // warm-up

let modes = [("events", false), ("events+json", true)].filter { mode == "all" || (mode == "json") == $0.1 }
for (label, encode) in modes {
    // Three untimed-per-command runs; the fastest is reported (other processes only ever slow a run down).
    let throughput = (0..<3).map { _ in run(commands, encode: encode, timeEach: false) }.min { $0.cpuSeconds < $1.cpuSeconds }!
    let timed = run(commands, encode: encode, timeEach: true)
    let sorted = timed.latencies.sorted()
    let perSecond = Double(commands.load.count) / throughput.seconds
    let ordersPerSecond = Double(commands.placements) / throughput.seconds
    let cpuOrdersPerSecond = Double(commands.placements) / throughput.cpuSeconds
    var line = "\(label) (best of 3): \(format(perSecond)) commands/s (\(format(ordersPerSecond)) orders/s) wall, "
    line += "\(format(cpuOrdersPerSecond)) orders per CPU-second, "
    line += "\(format(throughput.seconds, 3)) s wall, \(format(throughput.cpuSeconds, 3)) s CPU, \(throughput.events) events, \(throughput.trades) trades, \(throughput.rejected) rejected"
    if encode { line += ", \(throughput.bytes) JSON bytes (\(throughput.bytes / max(throughput.events, 1)) per event)" }
    print(line)
    print("  latency per command (timed run): p50 \(percentile(sorted, 0.5)) ns, p99 \(percentile(sorted, 0.99)) ns, p99.9 \(percentile(sorted, 0.999)) ns, max \(sorted.last ?? 0) ns")
}
