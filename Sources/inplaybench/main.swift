// inplaybench: how many bars per second the setup engine (ORB, IB, Gap-Fill, Engulfing, hit-rate
// tracking, session lookup) processes over many symbols, and the per-bar latency distribution.
//
// Usage: inplaybench [--symbols 500] [--days 5] [--seed 42]
// Bars are a synthetic, deterministic random walk: one-minute bars around the clock on weekdays
// from Wednesday 2024-03-06 (so the run crosses the US daylight-saving change of 2024-03-10),
// with a small jump at each London and New York open so Gap-Fill has gaps to find.
import Foundation
import SetupDetection

// MARK: - Arguments

var symbolCount = 500
var dayCount = 5
var seed: UInt64 = 42
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    guard let value = arguments.next(), let number = Int(value), number > 0 else {
        print("usage: inplaybench [--symbols N] [--days N] [--seed N]")
        exit(2)
    }
    switch argument {
    case "--symbols": symbolCount = number
    case "--days": dayCount = number
    case "--seed": seed = UInt64(number)
    default:
        print("unknown option \(argument); usage: inplaybench [--symbols N] [--days N] [--seed N]")
        exit(2)
    }
}

// MARK: - Synthetic bars

/// SplitMix64: small, fast, deterministic.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    /// Roughly standard normal (sum of four uniforms, rescaled).
    mutating func normal() -> Double { (unit() + unit() + unit() + unit() - 2) * 1.732_050_8 }
}

var random = SplitMix64(state: seed)
let symbols = (0..<symbolCount).map { String(format: "SYM%03d", $0) }
var prices = (0..<symbolCount).map { _ in 20 + random.unit() * 480 }
var days: [CivilDate] = []
var date = CivilDate(2024, 3, 6)
while days.count < dayCount {
    if date.isoWeekday <= 5 { days.append(date) }
    date = date.adding(days: 1)
}
var calendar = SessionCalendar()
var bars: [Bar] = []
bars.reserveCapacity(symbolCount * dayCount * 1_440)
for day in days {
    for minute in 0..<1_440 {
        let start = UTCTime(day, hour: minute / 60, minute: minute % 60)
        // A jump at the first minute of London and New York windows makes opening gaps.
        let opening = calendar.windows(containing: start).contains { $0.start == start && $0.session != .asia }
        for index in 0..<symbolCount {
            let open = prices[index] * (opening ? 1 + 0.004 * random.normal() : 1)
            let close = open * (1 + 0.0009 * random.normal())
            let high = max(open, close) * (1 + 0.0004 * abs(random.normal()))
            let low = min(open, close) * (1 - 0.0004 * abs(random.normal()))
            prices[index] = close
            bars.append(Bar(symbol: symbols[index], start: start, open: open, high: high, low: low, close: close, volume: 100))
        }
    }
}

// MARK: - Measurement

func nanoseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1e9 + Double(duration.components.attoseconds) / 1e9
}

let clock = ContinuousClock()
print("inplaybench: \(symbolCount) symbols, \(days.count) weekdays from \(days.first!) to \(days.last!), \(bars.count) one-minute bars")

// Warm-up: a first day through a throwaway engine, so page faults and caches settle.
do {
    var warmup = SetupEngine()
    for bar in bars.prefix(symbolCount * 1_440) { _ = try warmup.process(bar) }
}

// Throughput: the whole series through a fresh engine, no per-bar timing.
var engine = SetupEngine()
var counts: [Strategy: Int] = [:]
let started = clock.now
for bar in bars {
    for setup in try engine.process(bar) { counts[setup.strategy, default: 0] += 1 }
}
let elapsed = nanoseconds(clock.now - started)
let throughput = Double(bars.count) / (elapsed / 1e9)

// Latency: a fresh engine again, each process() call timed alone.
var timedEngine = SetupEngine()
var latencies = [Double](repeating: 0, count: bars.count)
for (index, bar) in bars.enumerated() {
    let before = clock.now
    _ = try timedEngine.process(bar)
    latencies[index] = nanoseconds(clock.now - before)
}
latencies.sort()
func percentile(_ sorted: [Double], _ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }

// The whole monitor (engine + watchlist book): 500 symbols in 5 watchlists of 100.
let watchlists = stride(from: 0, to: symbolCount, by: 100).map { first in
    Watchlist(id: "list\(first / 100)", symbols: Array(symbols[first..<min(first + 100, symbolCount)]))
}
var monitor = InPlayMonitor(watchlists: watchlists, startedAt: bars[0].start)
var pushes = 0
let monitorStarted = clock.now
for bar in bars { pushes += try monitor.process(bar).count }
let monitorElapsed = nanoseconds(clock.now - monitorStarted)

func format(_ value: Double, _ decimals: Int = 0) -> String {
    String(format: "%.\(decimals)f", value)
}

print("setups: " + Strategy.allCases.map { "\($0.rawValue)=\(counts[$0, default: 0])" }.joined(separator: " "))
print("engine throughput: \(format(throughput)) bars/s (\(format(elapsed / 1e6, 1)) ms for \(bars.count) bars)")
print("per-bar latency (ns): p50=\(format(percentile(latencies, 0.50))) p99=\(format(percentile(latencies, 0.99))) p99.9=\(format(percentile(latencies, 0.999))) max=\(format(latencies.last!))")
print("monitor (engine + watchlist book) throughput: \(format(Double(bars.count) / (monitorElapsed / 1e9))) bars/s, \(pushes) watchlist updates")
