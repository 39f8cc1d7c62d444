import Testing
@testable import SetupDetection

@Suite("Watchlist book")
struct WatchlistBookTests {
    private let watchlists = [
        Watchlist(id: "momentum", symbols: ["AAPL", "MSFT", "NVDA"]),
        Watchlist(id: "futures", symbols: ["ES", "NQ"]),
        Watchlist(id: "mega", symbols: ["MSFT"]),
    ]

    private func setup(_ symbol: String, _ strategy: Strategy, at time: UTCTime, session: SessionName = .london) -> Setup {
        Setup(symbol: symbol, strategy: strategy, direction: .long, entry: 100, target: 101, stop: 99,
              probability: 0.5, session: session, updatedAt: time)
    }

    @Test("record reports exactly the watchlists holding the symbols, in configuration order")
    func changedWatchlists() {
        var book = WatchlistBook(watchlists: watchlists, startedAt: utc(2024, 3, 19))
        #expect(book.record([setup("MSFT", .engulfing, at: utc(2024, 3, 19, 9))]) == ["momentum", "mega"])
        #expect(book.record([setup("ES", .openingRangeBreakout, at: utc(2024, 3, 19, 9))]) == ["futures"])
        #expect(book.record([setup("TSLA", .openingRangeBreakout, at: utc(2024, 3, 19, 9))]).isEmpty)
        #expect(book.record([]).isEmpty)
        #expect(book.record([setup("NQ", .gapFill, at: utc(2024, 3, 19, 9)), setup("AAPL", .gapFill, at: utc(2024, 3, 19, 9))])
            == ["momentum", "futures"])
    }

    @Test("setups are listed most recent first, even when recorded late, and capped")
    func ordering() throws {
        var book = WatchlistBook(watchlists: watchlists, maximumSetupsPerSymbol: 3, startedAt: utc(2024, 3, 19))
        _ = book.record([setup("AAPL", .openingRangeBreakout, at: utc(2024, 3, 19, 8, 16))])
        _ = book.record([setup("AAPL", .engulfing, at: utc(2024, 3, 19, 8, 30))])
        _ = book.record([setup("AAPL", .gapFill, at: utc(2024, 3, 19, 8, 1))]) // late arrival
        #expect(book.setups(for: "AAPL").map(\.strategy) == [.engulfing, .openingRangeBreakout, .gapFill])
        _ = book.record([setup("AAPL", .initialBalanceBreakout, at: utc(2024, 3, 19, 9, 1))])
        #expect(book.setups(for: "AAPL").map(\.strategy) == [.initialBalanceBreakout, .engulfing, .openingRangeBreakout])
        let payload = try #require(book.payload(for: "momentum"))
        #expect(payload.symbols.map(\.symbol) == ["AAPL", "MSFT", "NVDA"])
        #expect(payload.symbols[0].setups.map(\.updatedAt) == [utc(2024, 3, 19, 9, 1), utc(2024, 3, 19, 8, 30), utc(2024, 3, 19, 8, 16)])
        #expect(payload.symbols[1].setups.isEmpty)
        #expect(payload.updatedAt == utc(2024, 3, 19, 9, 1))
    }

    @Test("the payload can be filtered by session; unknown ids give nil")
    func sessionFilter() throws {
        var book = WatchlistBook(watchlists: watchlists, startedAt: utc(2024, 3, 19))
        _ = book.record([
            setup("AAPL", .openingRangeBreakout, at: utc(2024, 3, 19, 8, 16), session: .london),
            setup("AAPL", .openingRangeBreakout, at: utc(2024, 3, 19, 13, 46), session: .newYork),
            setup("NVDA", .engulfing, at: utc(2024, 3, 19, 14), session: .newYork),
        ])
        let newYork = try #require(book.payload(for: "momentum", session: .newYork))
        #expect(newYork.symbols.map { $0.setups.count } == [1, 0, 1])
        #expect(newYork.symbols.flatMap(\.setups).allSatisfy { $0.session == .newYork })
        let all = try #require(book.payload(for: "momentum"))
        #expect(all.symbols.map { $0.setups.count } == [2, 0, 1])
        #expect(try #require(book.payload(for: "momentum", session: .asia)).symbols.allSatisfy { $0.setups.isEmpty })
        #expect(book.payload(for: "nope") == nil)
        #expect(try #require(book.payload(for: "futures")).updatedAt == utc(2024, 3, 19))
    }

    @Test("the monitor turns bars into changed watchlist ids and update messages")
    func monitor() throws {
        var monitor = InPlayMonitor(watchlists: watchlists, startedAt: utc(2024, 1, 15))
        var series = BarSeries("MSFT", startingAt: utc(2024, 1, 15, 22))
        series.add(100, 100.2, 99.4, 99.5)
        #expect(try monitor.process(series.bars[0]).isEmpty)
        series.add(99.4, 100.8, 99.3, 100.6)
        let changed = try monitor.process(series.bars[1])
        #expect(changed == ["momentum", "mega"])
        let messages = monitor.updateMessages(for: changed)
        #expect(messages.map(\.payload.id) == ["momentum", "mega"])
        #expect(messages.allSatisfy { $0.type == "watchlist.update" })
        #expect(messages[1].payload.symbols.first?.setups.first?.strategy == .engulfing)
        // Bars of unwatched symbols are skipped.
        let other = Bar(symbol: "TSLA", start: utc(2024, 1, 15, 22), open: 1, high: 1, low: 1, close: 1)
        #expect(try monitor.process(other).isEmpty)
        #expect(monitor.engine.symbolCount == 1)
    }
}
