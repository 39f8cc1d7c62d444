import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InPlayService
import NIOCore
import Pipeline
import SetupDetection
import Testing

@Suite struct InPlayRESTTests {
    typealias Support = InPlayTestSupport

    static let auth: HTTPFields = [.authorization: "Bearer \(InPlayTestSupport.token)", .contentType: "application/json"]

    static func post(_ client: some TestClientProtocol, _ body: String, headers: HTTPFields = auth) async throws -> (HTTPResponse.Status, [String: Any]) {
        let response = try await client.execute(uri: "/inplay/bars", method: .post, headers: headers, body: ByteBuffer(string: body))
        return (response.status, try Support.object(String(buffer: response.body)))
    }

    static func get(_ client: some TestClientProtocol, _ uri: String, headers: HTTPFields = auth) async throws -> (HTTPResponse.Status, [String: Any]) {
        let response = try await client.execute(uri: uri, method: .get, headers: headers)
        return (response.status, try Support.object(String(buffer: response.body)))
    }

    static func errorCode(_ body: [String: Any]) -> String? {
        (body["error"] as? [String: Any])?["code"] as? String
    }

    static func errorMessage(_ body: [String: Any]) -> String {
        ((body["error"] as? [String: Any])?["message"] as? String) ?? ""
    }

    static func setupCount(_ body: [String: Any], symbol: String) -> Int? {
        let symbols = body["symbols"] as? [[String: Any]]
        return (symbols?.first { $0["symbol"] as? String == symbol }?["setups"] as? [Any])?.count
    }

    static func build() async throws -> InPlayApplication {
        try await InPlayApplication.build(
            configuration: try Support.configuration(), pipeline: MemoryPipeline(), logger: Support.logger,
            now: UTCTime(Support.day, hour: 0)
        )
    }

    @Test func watchlistFilteredBySession() async throws {
        let service = try await Self.build()
        try await service.application.test(.live) { client in
            // AAPL at 10:00 UTC is London only; MSFT at 02:00 UTC is Tokyo only.
            let bars = Support.engulfingPair("MSFT", hour: 2, minute: 0) + Support.engulfingPair("AAPL", hour: 10, minute: 0)
            let (status, report) = try await Self.post(client, "[" + bars.joined(separator: ",") + "]")
            #expect(status == .accepted)
            #expect(report["accepted"] as? Int == 4)

            let (allStatus, all) = try await Self.get(client, "/inplay/watchlists/momentum")
            #expect(allStatus == .ok)
            #expect(all["id"] as? String == "momentum")
            #expect(Self.setupCount(all, symbol: "AAPL") == 1)
            #expect(Self.setupCount(all, symbol: "MSFT") == 1)
            #expect(all["updated_at"] as? String == Support.updatedAt(hour: 10, minute: 0))

            let (_, london) = try await Self.get(client, "/inplay/watchlists/momentum?session=london")
            #expect(Self.setupCount(london, symbol: "AAPL") == 1)
            #expect(Self.setupCount(london, symbol: "MSFT") == 0)
            let (_, asia) = try await Self.get(client, "/inplay/watchlists/momentum?session=asia")
            #expect(Self.setupCount(asia, symbol: "AAPL") == 0)
            #expect(Self.setupCount(asia, symbol: "MSFT") == 1)
            let (_, newYork) = try await Self.get(client, "/inplay/watchlists/momentum?session=new_york")
            #expect(Self.setupCount(newYork, symbol: "AAPL") == 0)
            #expect(Self.setupCount(newYork, symbol: "MSFT") == 0)

            let (futuresStatus, futures) = try await Self.get(client, "/inplay/watchlists/futures")
            #expect(futuresStatus == .ok)
            #expect(Self.setupCount(futures, symbol: "ES") == 0)
        }
    }

    @Test func unknownWatchlistIs404AndUnknownSessionIs400() async throws {
        let service = try await Self.build()
        try await service.application.test(.live) { client in
            let (missing, missingBody) = try await Self.get(client, "/inplay/watchlists/nope")
            #expect(missing == .notFound)
            #expect(Self.errorCode(missingBody) == "unknown_watchlist")
            let (badSession, badBody) = try await Self.get(client, "/inplay/watchlists/momentum?session=sydney")
            #expect(badSession == .badRequest)
            #expect(Self.errorCode(badBody) == "unknown_session")
            #expect(Self.errorMessage(badBody).contains("new_york"))
        }
    }

    @Test func restNeedsTheToken() async throws {
        let service = try await Self.build()
        try await service.application.test(.live) { client in
            let wrong: HTTPFields = [.authorization: "Bearer nope"]
            let (noToken, noTokenBody) = try await Self.get(client, "/inplay/watchlists/momentum", headers: [:])
            #expect(noToken == .unauthorized)
            #expect(Self.errorCode(noTokenBody) == "missing_token")
            let (badToken, badTokenBody) = try await Self.get(client, "/inplay/watchlists/momentum", headers: wrong)
            #expect(badToken == .unauthorized)
            #expect(Self.errorCode(badTokenBody) == "invalid_token")
            // The query token is for browsers' WebSockets only.
            let (queryToken, _) = try await Self.get(client, "/inplay/watchlists/momentum?token=\(Support.token)", headers: [:])
            #expect(queryToken == .unauthorized)
            let bar = Support.engulfingPair("AAPL", hour: 10, minute: 0)[0]
            let (postStatus, _) = try await Self.post(client, bar, headers: wrong)
            #expect(postStatus == .unauthorized)
            let payload = try #require(await service.monitor.payload(for: "momentum", session: nil))
            #expect(payload.symbols.allSatisfy { $0.setups.isEmpty }, "a refused post changes nothing")
            // Health endpoints stay open.
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
        }
    }

    @Test func badBarsGetClearErrors() async throws {
        let service = try await Self.build()
        try await service.application.test(.live) { client in
            let cases: [(String, HTTPResponse.Status, String, String)] = [
                ("not json", .badRequest, "malformed_bar", "not valid JSON"),
                ("", .badRequest, "malformed_bar", "empty"),
                (#"{"symbol":"AAPL","timestamp":"2024-03-19T10:00:00Z","open":1,"high":2,"close":1.5}"#, .badRequest, "malformed_bar", "'low'"),
                (#"[{"symbol":"AAPL","timestamp":"2024-03-19T10:00:00Z","open":1,"high":2,"low":1,"close":1.5},{"symbol":"AAPL","timestamp":"2024-03-19T10:01:00Z","open":"x","high":2,"low":1,"close":1.5}]"#, .badRequest, "malformed_bar", "bar 1"),
                (#"{"symbol":"AAPL","timestamp":"2024-03-19T10:00:00Z","open":1,"high":1,"low":2,"close":1}"#, .unprocessableContent, "invalid_bar", "low 2.0 is above high 1.0"),
                (#"{"symbol":"AAPL","timestamp":"19/03/2024","open":1,"high":2,"low":1,"close":1.5}"#, .unprocessableContent, "invalid_bar", "timestamp"),
                (#"{"symbol":"AAPL","timestamp":1710842400000,"open":1,"high":2,"low":1,"close":1.5}"#, .unprocessableContent, "invalid_bar", "milliseconds"),
                (#"{"timestamp":"2024-03-19T10:00:00Z","open":1,"high":2,"low":1,"close":1.5}"#, .unprocessableContent, "invalid_bar", "symbol"),
                (#"[{"symbol":"AAPL","timestamp":"2024-03-19T10:00:00Z","open":1,"high":2,"low":1,"close":1.5},{"symbol":"AAPL","timestamp":"2024-03-19T10:01:00Z","open":1,"high":2,"low":1,"close":1.5,"duration_seconds":0}]"#, .unprocessableContent, "invalid_bar", "bar 1: duration"),
                ("[]", .unprocessableContent, "invalid_bar", "no bars"),
            ]
            for (body, status, code, fragment) in cases {
                let (got, answer) = try await Self.post(client, body)
                #expect(got == status, "\(body)")
                #expect(Self.errorCode(answer) == code, "\(body)")
                #expect(Self.errorMessage(answer).contains(fragment), "\(body): \(Self.errorMessage(answer))")
            }
            // Nothing of the refused requests reached detection: the first valid bar at 10:00 is accepted.
            let first = Support.engulfingPair("AAPL", hour: 10, minute: 0)
            let (okStatus, ok) = try await Self.post(client, first[0])
            #expect(okStatus == .accepted)
            #expect(ok["accepted"] as? Int == 1)
            // A bar that does not start after the previous one is refused by the engine, with
            // its index; bars of unwatched symbols are counted as ignored.
            let unwatched = #"{"symbol":"TSLA","timestamp":"2024-03-19T10:00:00Z","open":1,"high":2,"low":1,"close":1.5}"#
            let (mixedStatus, mixed) = try await Self.post(client, "[\(first[0]),\(unwatched),\(first[1])]")
            #expect(mixedStatus == .accepted)
            #expect(mixed["accepted"] as? Int == 1)
            #expect(mixed["ignored"] as? Int == 1)
            let rejected = try #require(mixed["rejected"] as? [[String: Any]])
            #expect(rejected.count == 1)
            #expect(rejected.first?["index"] as? Int == 0)
            #expect((rejected.first?["reason"] as? String)?.contains("does not start after") == true)
            #expect(mixed["updated_watchlists"] as? [String] == ["momentum"])
        }
    }
}
