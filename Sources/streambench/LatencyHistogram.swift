/// A log-linear histogram of latencies in nanoseconds (HdrHistogram-like: 64 linear
/// sub-buckets per power of two, so any recorded value is within 1.6% of its bucket), cheap
/// to record into and to merge.
struct LatencyHistogram: Sendable {
    private static let subBucketBits = 6
    private static let subBuckets = 1 << subBucketBits
    private var counts = [UInt64](repeating: 0, count: 64 * (1 << 6))
    private(set) var total: UInt64 = 0
    private(set) var maximum: UInt64 = 0

    mutating func record(_ nanoseconds: UInt64) {
        counts[Self.index(nanoseconds)] &+= 1
        total &+= 1
        if nanoseconds > maximum { maximum = nanoseconds }
    }

    mutating func merge(_ other: LatencyHistogram) {
        for index in counts.indices { counts[index] &+= other.counts[index] }
        total &+= other.total
        maximum = max(maximum, other.maximum)
    }

    /// The value at `quantile` (0...1), in nanoseconds (upper edge of its bucket).
    func value(at quantile: Double) -> UInt64 {
        guard total > 0 else { return 0 }
        let target = UInt64((Double(total) * quantile).rounded(.up))
        var seen: UInt64 = 0
        for (index, count) in counts.enumerated() where count > 0 {
            seen += count
            if seen >= max(target, 1) { return min(Self.upperEdge(index), maximum) }
        }
        return maximum
    }

    private static func index(_ value: UInt64) -> Int {
        if value < UInt64(subBuckets) { return Int(value) }
        let magnitude = 63 - value.leadingZeroBitCount          // >= subBucketBits
        let shift = magnitude - subBucketBits
        let sub = Int((value >> UInt64(shift)) & UInt64(subBuckets - 1))
        return (shift + 1) * subBuckets + sub
    }

    private static func upperEdge(_ index: Int) -> UInt64 {
        let bucket = index / subBuckets
        let sub = UInt64(index % subBuckets)
        if bucket == 0 { return sub }
        let shift = UInt64(bucket - 1)
        return ((UInt64(subBuckets) | sub) << shift) + (UInt64(1) << shift) - 1
    }
}
