import Foundation
import HTTPCore
@testable import InPlayService
import Pipeline
import SetupDetection
import Testing

/// The monitor assembles each `watchlist.update` from cached per-symbol entries; the JSON
/// must be the same as what the detection library's one-piece encoder writes. (Compared as
/// JSON values: Foundation's `JSONEncoder` on Linux does not keep a stable key order.)
@Suite struct UpdateEncodingTests {
    static func same(_ lhs: [UInt8], _ rhs: [UInt8]) throws -> Bool {
        let left = try JSONSerialization.jsonObject(with: Data(lhs)) as? NSDictionary
        let right = try JSONSerialization.jsonObject(with: Data(rhs)) as? NSDictionary
        return left != nil && left == right
    }

    @Test func cachedEncodingMatchesTheLibraryEncoder() async throws {
        let configuration = InPlayConfiguration(
            http: HTTPServerSettings(host: "127.0.0.1", port: 0),
            watchlists: try Watchlist.parseConfiguration("fx=EUR/USD,GBP/USD;momentum=AAPL,MSFT;both=AAPL,EUR/USD"),
            serviceToken: "t"
        )
        let service = try await InPlayApplication.build(
            configuration: configuration, pipeline: MemoryPipeline(), logger: InPlayTestSupport.logger,
            now: UTCTime(InPlayTestSupport.day)
        )
        for id in ["fx", "momentum", "both"] {
            let fast = try await service.monitor.encodeUpdate(id)
            let reference = try await service.monitor.referenceUpdate(id)
            #expect(try Self.same(fast, reference), "before any bar: \(id)")
        }
        var bars: [Bar] = []
        for (index, symbol) in ["AAPL", "EUR/USD", "MSFT", "AAPL"].enumerated() {
            let hour = 10 + index
            let start = UTCTime(InPlayTestSupport.day, hour: hour)
            bars.append(Bar(symbol: symbol, start: start, open: 101, high: 101.5, low: 99.5, close: 100))
            bars.append(Bar(symbol: symbol, start: start.adding(seconds: 60), open: 99.8, high: 102.5, low: 99.4, close: 102))
            let report = await service.monitor.ingest(bars, source: .rest)
            bars.removeAll()
            #expect(!report.updatedWatchlists.isEmpty)
            for id in ["fx", "momentum", "both"] {
                let fast = try await service.monitor.encodeUpdate(id)
                let reference = try await service.monitor.referenceUpdate(id)
                #expect(try Self.same(fast, reference), "after \(symbol): \(id)\n\(String(decoding: fast, as: UTF8.self))\n\(String(decoding: reference, as: UTF8.self))")
            }
        }
        let both = try #require(await service.monitor.payload(for: "both", session: nil))
        #expect(both.symbols.map(\.setups.count) == [2, 1])
    }
}
