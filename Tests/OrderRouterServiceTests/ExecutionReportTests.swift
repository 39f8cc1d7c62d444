import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import OrderRouterService
import Pipeline
import Synchronization
import Testing

/// A fake streaming: records `POST /ingest/reports` and answers 503 for the first
/// `failures` requests, then 202.
final class FakeStreaming: Sendable {
    struct Received: Sendable {
        var authorization: String?
        var idempotencyKey: String?
        var body: [String: String]
        var json: Data
    }

    private let state = Mutex<(remainingFailures: Int, attempts: Int, received: [Received])>((0, 0, []))

    init(failures: Int) {
        state.withLock { $0.remainingFailures = failures }
    }

    var attempts: Int { state.withLock { $0.attempts } }
    var received: [Received] { state.withLock { $0.received } }

    func application() -> some ApplicationProtocol {
        let router = Router()
        router.post("/ingest/reports") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            let fail = self.state.withLock { state -> Bool in
                state.attempts += 1
                if state.remainingFailures > 0 {
                    state.remainingFailures -= 1
                    return true
                }
                state.received.append(Received(
                    authorization: request.headers[.authorization],
                    idempotencyKey: request.headers[HTTPField.Name("X-Idempotency-Key")!],
                    body: [:],
                    json: Data(body.readableBytesView)
                ))
                return false
            }
            return Response(status: fail ? .serviceUnavailable : .accepted)
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }
}

@Suite("execution reports to streaming")
struct ExecutionReportTests {
    @Test("reports wait in the outbox while streaming answers 503, then arrive with the token, once each, in order")
    func outboxRetries() async throws {
        let streaming = FakeStreaming(failures: 3)
        try await streaming.application().test(.live) { streamingClient in
            let settings = OrderRouterConfiguration.ReportSettings(
                ingestURL: "http://127.0.0.1:\(streamingClient.port!)", serviceToken: "report-token", roomId: "room-7",
                initialBackoff: .milliseconds(20), maximumBackoff: .milliseconds(100))
            try await Fixture.withService(reports: settings) { _, client in
                try await client.createBinaryMarket("m1")
                let start = ContinuousClock.now
                let maker = try await client.limit(Fixture.key1, market: "m1", outcome: "m1-yes", side: "SELL", shares: "10", price: "0.40")
                let taker = try await client.limit(Fixture.key2, market: "m1", outcome: "m1-yes", side: "BUY", shares: "10", price: "0.40")
                // Order flow is not held back by the failing streaming.
                #expect(maker.status == .created && taker.status == .created)
                #expect(ContinuousClock.now - start < .seconds(2))
                // maker placed, maker filled, taker filled.
                let arrived = await eventually { streaming.received.count >= 3 }
                #expect(arrived)
                #expect(streaming.attempts >= 6)
            }
        }
        let received = streaming.received
        #expect(received.count == 3)
        #expect(received.allSatisfy { $0.authorization == "Bearer report-token" })
        let keys = received.compactMap(\.idempotencyKey)
        #expect(Set(keys).count == 3)
        var statuses: [String] = []
        for report in received {
            let object = try #require(try JSONSerialization.jsonObject(with: report.json) as? [String: Any])
            #expect(object["room"] as? String == "room-7")
            let payload = try #require(object["payload"] as? [String: Any])
            #expect(payload["type"] as? String == "execution_report")
            #expect(payload["reportId"] as? String == report.idempotencyKey)
            let order = try #require(payload["order"] as? [String: Any])
            statuses.append("\(order["operatorId"] as? String ?? "?"):\(order["status"] as? String ?? "?")")
        }
        #expect(statuses == ["op-1:OPEN", "op-1:FILLED", "op-2:FILLED"])
    }

    @Test("an absent streaming never blocks orders; the outbox keeps only the newest reports")
    func absentStreamingDropsOldest() async throws {
        let port = try await Self.closedPort()
        let settings = OrderRouterConfiguration.ReportSettings(
            ingestURL: "http://127.0.0.1:\(port)", serviceToken: "t", outboxCapacity: 5,
            initialBackoff: .milliseconds(20), maximumBackoff: .milliseconds(50))
        try await Fixture.withService(reports: settings) { built, client in
            try await client.createBinaryMarket("m1")
            for index in 0..<20 {
                let response = try await client.limit(Fixture.key1, market: "m1", outcome: "m1-yes", side: "BUY", shares: "1", price: "0.\(10 + index)")
                #expect(response.status == .created)
            }
            let depth = try #require(built.reportOutbox?.depth)
            #expect(depth <= 5)
        }
    }

    /// A loopback port nobody listens on.
    static func closedPort() async throws -> Int {
        let app = Application(router: Router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        let port = try await app.test(.live) { client in client.port! }
        return port
    }
}
