import Foundation
import HTTPTypes
import HTTPCore
import MarketEngine
import OrderRouterService
import Pipeline
import Testing

@Suite("journal and rebuild")
struct JournalTests {
    @Test("a restart on the same journal rebuilds the same engine state; a torn last line is cut")
    func restartRebuilds() async throws {
        let journal = Fixture.journalPath()
        let before = try await Fixture.withService(journalPath: journal) { built, client in
            try await client.createBinaryMarket("m1")
            _ = try await client.limit(Fixture.key1, market: "m1", outcome: "m1-yes", side: "SELL", shares: "30", price: "0.55")
            _ = try await client.limit(Fixture.key2, market: "m1", outcome: "m1-yes", side: "BUY", shares: "10", price: "0.56", clientOrderId: "k")
            let resting = try await client.limit(Fixture.key2, market: "m1", outcome: "m1-no", side: "BUY", shares: "7", price: "0.20")
            _ = try await client.call(.delete, "/orders/\(resting["id"] as? String ?? "")", apiKey: Fixture.key2)
            return await built.core.snapshot(at: 0)
        }
        // A crash in the middle of a batch leaves half a line: it was never acknowledged.
        let handle = try #require(FileHandle(forWritingAtPath: journal))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"command":{"payload":{"marketId":"m1","#.utf8))
        handle.closeFile()

        let after = try await Fixture.withService(journalPath: journal) { built, client in
            #expect(built.replayedEntries == 5)
            let retry = try await client.limit(Fixture.key2, market: "m1", outcome: "m1-yes", side: "BUY", shares: "10", price: "0.56", clientOrderId: "k")
            #expect(retry.status == .ok)
            return await built.core.snapshot(at: 0)
        }
        #expect(before == after)
        let text = try String(contentsOfFile: journal, encoding: .utf8)
        #expect(text.hasSuffix("\n"))
        #expect(text.split(separator: "\n").count == 5)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(try MarketEngine.rebuild(fromJournal: lines, clock: { 0 }).snapshot(at: 0) == before)
    }

    @Test("a corrupt complete line stops the start with an error naming the line")
    func corruptLine() async throws {
        let journal = Fixture.journalPath()
        try FileManager.default.createDirectory(atPath: URL(fileURLWithPath: journal).deletingLastPathComponent().path, withIntermediateDirectories: true)
        try Data("not json\n".utf8).write(to: URL(fileURLWithPath: journal))
        await #expect(throws: OrderJournalError.self) {
            _ = try await OrderRouterApplication.build(configuration: try Fixture.configuration(journalPath: journal), pipeline: MemoryPipeline(), logger: Fixture.logger)
        }
    }

    @Test("configuration: the admin token and operator keys are required")
    func configurationRequired() throws {
        #expect(throws: (any Error).self) {
            _ = try OrderRouterConfiguration(environment: .init(["OPERATOR_API_KEYS": "op-1:k"]))
        }
        #expect(throws: (any Error).self) {
            _ = try OrderRouterConfiguration(environment: .init(["ORDER_ROUTER_ADMIN_TOKEN": "t"]))
        }
        #expect(throws: (any Error).self) {
            _ = try OrderRouterConfiguration(environment: .init(["ORDER_ROUTER_ADMIN_TOKEN": "t", "OPERATOR_API_KEYS": "op-1:k", "STREAMING_INGEST_URL": "http://x"]))
        }
        let configuration = try OrderRouterConfiguration(environment: .init(["ORDER_ROUTER_ADMIN_TOKEN": "t", "OPERATOR_API_KEYS": "op-1:k"]))
        #expect(configuration.http.port == 8085)
        #expect(configuration.journalPath == "./data/order-router.journal")
        #expect(configuration.reports == nil)
        #expect(configuration.maxBatchOrders == 100)
        let base = ["ORDER_ROUTER_ADMIN_TOKEN": "t", "OPERATOR_API_KEYS": "op-1:k"]
        let larger = try OrderRouterConfiguration(environment: .init(base.merging(["ORDER_ROUTER_MAX_BATCH_ORDERS": "500"]) { $1 }))
        #expect(larger.maxBatchOrders == 500)
        for bad in ["0", "10001", "many"] {
            #expect(throws: (any Error).self, "ORDER_ROUTER_MAX_BATCH_ORDERS=\(bad)") {
                _ = try OrderRouterConfiguration(environment: .init(base.merging(["ORDER_ROUTER_MAX_BATCH_ORDERS": bad]) { $1 }))
            }
        }
    }
}
