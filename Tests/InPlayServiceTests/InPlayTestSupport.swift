import Foundation
import HTTPCore
import InPlayService
import Logging
import Pipeline
import SetupDetection
import Synchronization

/// Shared pieces of the service tests: a configuration, hand-built bars with hand-computed
/// setups, polling.
enum InPlayTestSupport {
    static let token = "inplay-test-token"
    static let watchlists = "momentum=AAPL,MSFT;futures=ES,NQ"

    static var logger: Logger {
        var logger = Logger(label: "inplay-test")
        logger.logLevel = .error
        return logger
    }

    static func configuration(streaming: StreamingForwardConfiguration? = nil, csvReplayPath: String? = nil) throws -> InPlayConfiguration {
        InPlayConfiguration(
            http: HTTPServerSettings(host: "127.0.0.1", port: 0, logLevel: .error),
            watchlists: try Watchlist.parseConfiguration(watchlists),
            serviceToken: token,
            csvReplayPath: csvReplayPath,
            streaming: streaming
        )
    }

    /// 2024-03-19, a Tuesday: London is on GMT (08:00-16:30 UTC), New York on EDT
    /// (13:30-20:00 UTC), Tokyo 00:00-06:00 UTC.
    static let day = CivilDate(2024, 3, 19)

    /// A bearish bar then a bullish engulfing bar one minute later, starting at `hour:minute`
    /// UTC. Hand-computed setup on the second bar: Engulfing long, entry 102 (its close),
    /// stop 99.4 (the lower low), target 102 + 2 x (102 - 99.4) = 107.2, probability 0.5
    /// (no history), `updated_at` = the second bar's end = start + 2 min.
    static func engulfingPair(_ symbol: String, hour: Int, minute: Int) -> [String] {
        let first = UTCTime(day, hour: hour, minute: minute)
        let second = first.adding(seconds: 60)
        return [
            #"{"symbol":"\#(symbol)","timestamp":"\#(first.iso8601)","open":101,"high":101.5,"low":99.5,"close":100,"volume":10}"#,
            #"{"symbol":"\#(symbol)","timestamp":\#(second.secondsSinceEpoch),"duration_seconds":60,"open":99.8,"high":102.5,"low":99.4,"close":102}"#,
        ]
    }

    static func updatedAt(hour: Int, minute: Int) -> String {
        UTCTime(day, hour: hour, minute: minute).adding(seconds: 120).iso8601
    }

    /// Polls `condition` every 10 ms until it holds, or throws after `timeout`.
    static func waitUntil(_ timeout: Duration = .seconds(10), _ what: String = "condition", _ condition: () async -> Bool) async throws {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while !(await condition()) {
            guard ContinuousClock.now < deadline else { throw WaitTimeout(what: what) }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    struct WaitTimeout: Error, CustomStringConvertible {
        var what: String
        var description: String { "timed out waiting for \(what)" }
    }

    /// Parses a JSON object.
    static func object(_ text: String) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw WaitTimeout(what: "a JSON object")
        }
        return object
    }

    static func object(_ bytes: [UInt8]) throws -> [String: Any] {
        try object(String(decoding: bytes, as: UTF8.self))
    }
}

/// A value shared between a test and handlers on other tasks.
final class LockedBox<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func withLock<R: Sendable>(_ body: (inout Value) -> R) -> R { mutex.withLock { body(&$0) } }
    var value: Value { mutex.withLock { $0 } }
}
