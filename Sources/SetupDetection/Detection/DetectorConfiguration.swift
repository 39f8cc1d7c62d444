/// The tunable rules of the four detectors and of setup tracking; defaults are the documented
/// ones (docs/inplay-detectors.md).
public struct DetectorConfiguration: Hashable, Sendable {
    /// ORB: minutes after the session open that form the opening range.
    public var openingRangeMinutes: Int
    /// ORB: target distance from entry, in range heights.
    public var openingRangeTargetMultiple: Double
    /// IB: minutes after the session open that form the initial balance.
    public var initialBalanceMinutes: Int
    /// IB: target distance from entry, in initial-balance heights.
    public var initialBalanceTargetMultiple: Double
    /// Gap-Fill: smallest |open - previous close| / previous close that counts as a gap.
    public var gapThresholdFraction: Double
    /// Engulfing: target distance from entry, in risk units (entry - stop).
    public var engulfingRewardMultiple: Double
    /// Unresolved setups remembered per symbol for hit-rate measurement; beyond it the oldest
    /// is forgotten (counted neither hit nor miss), which keeps each bar O(1).
    public var maximumOpenSetupsPerSymbol: Int

    /// The defaults: ORB 15 min × 1, IB 60 min × 1, gap 0.1 %, Engulfing 2R, 64 open setups.
    public init(
        openingRangeMinutes: Int = 15,
        openingRangeTargetMultiple: Double = 1,
        initialBalanceMinutes: Int = 60,
        initialBalanceTargetMultiple: Double = 1,
        gapThresholdFraction: Double = 0.001,
        engulfingRewardMultiple: Double = 2,
        maximumOpenSetupsPerSymbol: Int = 64
    ) {
        self.openingRangeMinutes = openingRangeMinutes
        self.openingRangeTargetMultiple = openingRangeTargetMultiple
        self.initialBalanceMinutes = initialBalanceMinutes
        self.initialBalanceTargetMultiple = initialBalanceTargetMultiple
        self.gapThresholdFraction = gapThresholdFraction
        self.engulfingRewardMultiple = engulfingRewardMultiple
        self.maximumOpenSetupsPerSymbol = maximumOpenSetupsPerSymbol
    }
}
