@testable import SetupDetection

/// Builds one symbol's consecutive bars by hand, one minute each unless told otherwise.
struct BarSeries {
    let symbol: String
    var next: UTCTime
    var durationSeconds: Int64 = 60
    private(set) var bars: [Bar] = []

    init(_ symbol: String = "AAPL", startingAt start: UTCTime) {
        self.symbol = symbol
        self.next = start
    }

    /// Appends a bar at the cursor and moves the cursor one bar on.
    @discardableResult
    mutating func add(_ open: Double, _ high: Double, _ low: Double, _ close: Double) -> Bar {
        let bar = Bar(symbol: symbol, start: next, durationSeconds: durationSeconds, open: open, high: high, low: low, close: close, volume: 1_000)
        bars.append(bar)
        next = next.adding(seconds: durationSeconds)
        return bar
    }

    /// Appends `count` flat-bodied bars (open = close = price) spanning `low...high`.
    mutating func addFlat(count: Int, price: Double, high: Double? = nil, low: Double? = nil) {
        for _ in 0..<count { add(price, high ?? price, low ?? price, price) }
    }

    /// Moves the cursor to a given instant (leaving a hole in the series).
    mutating func jump(to time: UTCTime) {
        next = time
    }
}

/// Feeds bars to an engine and returns every setup they produced, in order.
func run(_ bars: [Bar], through engine: inout SetupEngine) throws -> [Setup] {
    var setups: [Setup] = []
    for bar in bars { setups += try engine.process(bar) }
    return setups
}

/// `a` and `b` equal to within float noise.
func approx(_ a: Double, _ b: Double) -> Bool { abs(a - b) < 1e-9 }

/// A UTC instant from its parts.
func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0) -> UTCTime {
    UTCTime(CivilDate(year, month, day), hour: hour, minute: minute)
}
