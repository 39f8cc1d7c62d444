/// Shares traded in the trailing 24 hours, in 288 five-minute buckets with a running total:
/// adding and reading are O(1) amortised. The window covers the current bucket and the 287
/// before it, so it spans between 23 h 55 and 24 h.
struct VolumeWindow: Sendable, Equatable {
    /// Width of a bucket.
    static let bucketMillis: Int64 = 5 * 60 * 1000
    /// Buckets in 24 hours.
    static let bucketCount = 288

    private var buckets: [Int64] = []
    /// Bucket number (time / 5 min) of the newest bucket written.
    private var newest: Int64 = .min
    private(set) var total: Int64 = 0

    /// Adds traded shares at `time` (ms). Time never moves the window backwards.
    mutating func add(_ shares: Int64, at time: Int64) {
        advance(to: time)
        if buckets.isEmpty {
            buckets = Array(repeating: 0, count: Self.bucketCount)
        }
        let slot = Self.slot(of: newest)
        buckets[slot] += shares
        total += shares
    }

    /// The trailing volume at `time` (ms), without moving the window.
    func volume(at time: Int64) -> Int64 {
        let bucket = Self.bucket(of: time)
        guard newest != .min, bucket > newest else { return total }
        guard !buckets.isEmpty, bucket - newest < Int64(Self.bucketCount) else { return 0 }
        var expired: Int64 = 0
        var step = newest + 1
        while step <= bucket {
            expired += buckets[Self.slot(of: step)]
            step += 1
        }
        return total - expired
    }

    private static func bucket(of time: Int64) -> Int64 {
        time >= 0 ? time / bucketMillis : (time + 1) / bucketMillis - 1
    }

    private static func slot(of bucket: Int64) -> Int {
        let count = Int64(bucketCount)
        return Int(((bucket % count) + count) % count)
    }

    /// Drops buckets that left the window.
    private mutating func advance(to time: Int64) {
        let bucket = Self.bucket(of: time)
        if newest == .min {
            newest = bucket
            return
        }
        guard bucket > newest else { return }
        if buckets.isEmpty || bucket - newest >= Int64(Self.bucketCount) {
            if !buckets.isEmpty {
                for index in buckets.indices { buckets[index] = 0 }
            }
            total = 0
        } else {
            var step = newest + 1
            while step <= bucket {
                let slot = Self.slot(of: step)
                total -= buckets[slot]
                buckets[slot] = 0
                step += 1
            }
        }
        newest = bucket
    }
}
