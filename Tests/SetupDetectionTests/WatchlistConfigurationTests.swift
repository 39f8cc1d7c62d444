import Testing
@testable import SetupDetection

@Suite("INPLAY_WATCHLISTS parsing")
struct WatchlistConfigurationTests {
    @Test("the seed's example")
    func seedExample() throws {
        let watchlists = try Watchlist.parseConfiguration("momentum=AAPL,MSFT,NVDA;futures=ES,NQ")
        #expect(watchlists == [
            Watchlist(id: "momentum", symbols: ["AAPL", "MSFT", "NVDA"]),
            Watchlist(id: "futures", symbols: ["ES", "NQ"]),
        ])
    }

    @Test("whitespace, a trailing ';' and symbol punctuation are tolerated")
    func tolerant() throws {
        let watchlists = try Watchlist.parseConfiguration("  momentum = AAPL , BRK.B ;\tfx=EUR/USD, ES:CME ; ")
        #expect(watchlists == [
            Watchlist(id: "momentum", symbols: ["AAPL", "BRK.B"]),
            Watchlist(id: "fx", symbols: ["EUR/USD", "ES:CME"]),
        ])
        #expect(try Watchlist.parseConfiguration("").isEmpty)
        #expect(try Watchlist.parseConfiguration("   ").isEmpty)
    }

    @Test("malformed input is refused with the problem named", arguments: [
        ("momentum", "has no '='"),
        ("=AAPL", "no watchlist id"),
        ("momentum=", "'momentum' has no symbols"),
        ("momentum=AAPL,,MSFT", "empty symbol"),
        ("momentum=AAPL,", "empty symbol"),
        ("momentum=AAPL;momentum=MSFT", "'momentum' is defined twice"),
        ("momentum=AAPL;;futures=ES", "entry 2 is empty"),
        ("momentum=AA PL", "'AA PL'"),
        ("mo mentum=AAPL", "'mo mentum'"),
        ("a=b=c", "more than one '='"),
        ("momentum=AAPL,AAPL", "'AAPL' appears twice"),
    ])
    func malformed(text: String, expected: String) {
        #expect {
            try Watchlist.parseConfiguration(text)
        } throws: { error in
            let description = (error as? WatchlistConfigurationError)?.description ?? ""
            return description.contains(expected) && description.hasPrefix("INPLAY_WATCHLISTS: ")
        }
    }
}
