import MarketEngine
import MarketFeed
import Testing

@Suite struct MarketFeedStateTests {
    @Test func snapshotsFollowTheEngine() throws {
        let script = try EventScript.tradedMarket("m-1")
        var state = MarketFeedState()
        for (index, event) in script.events.enumerated() {
            let applied = state.apply(FeedEvent(sequence: UInt64(index + 1), event: event))
            #expect(applied)
        }
        let snapshot = try #require(state.snapshot(of: "m-1"))
        #expect(snapshot.status == .open)
        let engineBook = try script.engine.orderBook(marketId: "m-1", outcomeId: "m-1-yes")
        let book = try #require(snapshot.orderBooks.first { $0.outcomeId == "m-1-yes" })
        #expect(book.bids == engineBook.bids)
        #expect(book.asks == engineBook.asks)
        #expect(book.asks.first?.shares == 70)
        let lastPrices = script.events.compactMap { event -> [OutcomePrice]? in
            if case .price(let update) = event { return update.prices }
            return nil
        }.last
        #expect(snapshot.prices == lastPrices)
        #expect(snapshot.lastSequence == UInt64(script.events.count))
        #expect(state.lastSequence == UInt64(script.events.count))
    }

    @Test func duplicatesAndOldSequencesChangeNothing() throws {
        let script = try EventScript.tradedMarket("m-1")
        var state = MarketFeedState()
        let first = state.apply(FeedEvent(sequence: 5, event: script.events[0]))
        let repeated = state.apply(FeedEvent(sequence: 5, event: script.events[1]))
        let older = state.apply(FeedEvent(sequence: 3, event: script.events[1]))
        #expect(first)
        #expect(!repeated)
        #expect(!older)
        #expect(state.lastSequence == 5)
        #expect(state.recent.count == 1)
    }

    @Test func marketsAreKnownFromEventsOrConfiguration() throws {
        let script = try EventScript.tradedMarket("m-1")
        var state = MarketFeedState(configuredMarkets: ["m-config"])
        #expect(!state.isKnown("m-1"))
        #expect(state.isKnown("m-config"))
        #expect(state.snapshot(of: "m-config")?.status == nil)
        #expect(state.snapshot(of: "m-unknown") == nil)
        state.apply(FeedEvent(sequence: 1, event: script.events[0]))
        #expect(state.isKnown("m-1"))
        #expect(state.knownMarketIds == ["m-1", "m-config"])
    }

    @Test func recentWindowResumesOnlyWhatItStillHolds() throws {
        var script = EventScript()
        try script.createMarket("m-1")
        try script.createMarket("m-2")
        for index in 0..<40 {
            try script.place(index % 2 == 0 ? "m-1" : "m-2", .buy, price: "0.30", shares: 1, operatorId: index % 3 == 0 ? "op-a" : "op-b")
        }
        var state = MarketFeedState(recentCapacity: 20)
        for (index, event) in script.events.enumerated() {
            state.apply(FeedEvent(sequence: UInt64(index + 1), event: event))
        }
        let total = UInt64(script.events.count)
        #expect(state.recent.floor > 0)
        #expect(state.recentEvents(after: 0, marketIds: ["m-1"], operatorId: "op-a") == nil)
        let after = state.recent.floor
        let resumed = try #require(state.recentEvents(after: after, marketIds: ["m-1"], operatorId: "op-a"))
        let expected = script.events.enumerated().filter { index, event in
            UInt64(index + 1) > after && event.marketId == "m-1" && EventVisibility(of: event).allows("op-a")
        }.map { UInt64($0.offset + 1) }
        #expect(resumed.map(\.sequence) == expected)
        #expect(resumed.allSatisfy { $0.visibility.allows("op-a") })
        #expect(state.recentEvents(after: total, marketIds: ["m-1"], operatorId: "op-a")?.isEmpty == true)
    }

    @Test func snapshotMessageCarriesTheSequence() throws {
        let script = try EventScript.tradedMarket("m-1")
        var state = MarketFeedState()
        for (index, event) in script.events.enumerated() {
            state.apply(FeedEvent(sequence: UInt64(index + 1), event: event))
        }
        let text = String(decoding: try #require(state.snapshot(of: "m-1")).message(sequence: 99), as: UTF8.self)
        #expect(text.hasPrefix(#"{"type":"SNAPSHOT","seq":99,"payload":{"marketId":"m-1","status":"OPEN","orderBooks":[{"#))
        #expect(text.contains(#""prices":[{"marketId":"m-1","outcomeId":"m-1-yes","outcomeName":"Yes""#))
    }
}
