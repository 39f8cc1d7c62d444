/// A detector's finding before the engine adds the symbol, probability, session and time.
struct SetupCandidate: Equatable {
    var strategy: Strategy
    var direction: TradeDirection
    var entry: Double
    var target: Double
    var stop: Double
}
