import Foundation
import HTTPCore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import MarketEngine
import NIOCore
import OrderRouterService
import Pipeline
import Testing

/// Shared fixtures: two operators, an admin token, a fresh journal per test.
enum Fixture {
    static let adminToken = "admin-secret"
    static let key1 = "key-one"
    static let key2 = "key-two"
    static let developmentKeys = "op-1:\(key1),op-2:\(key2)"

    static var logger: Logger {
        var logger = Logger(label: "order-router-tests")
        logger.logLevel = .warning
        return logger
    }

    /// A new, empty journal path in a fresh temporary folder.
    static func journalPath() -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("order-router-\(UUID().uuidString)")
        return folder.appendingPathComponent("journal.log").path
    }

    static func configuration(journalPath: String, reports: OrderRouterConfiguration.ReportSettings? = nil) throws -> OrderRouterConfiguration {
        OrderRouterConfiguration(
            http: HTTPServerSettings(host: "127.0.0.1", port: 0),
            adminToken: adminToken,
            operatorKeys: try OperatorKeyStore(developmentKeys: developmentKeys),
            journalPath: journalPath,
            reports: reports
        )
    }

    /// Builds the service on a journal and runs `body` against it over a real socket.
    static func withService<T: Sendable>(
        journalPath: String = Fixture.journalPath(),
        pipeline: any EventPipeline = MemoryPipeline(),
        reports: OrderRouterConfiguration.ReportSettings? = nil,
        _ body: @Sendable (OrderRouterApplication, any TestClientProtocol) async throws -> T
    ) async throws -> T {
        let built = try await OrderRouterApplication.build(
            configuration: try configuration(journalPath: journalPath, reports: reports), pipeline: pipeline, logger: logger)
        return try await built.application.test(.live) { client in
            try await body(built, client)
        }
    }
}

/// A decoded JSON response.
struct JSONResponse {
    var status: HTTPResponse.Status
    var object: [String: Any]

    subscript(key: String) -> Any? { object[key] }
    var errorCode: String? { (object["error"] as? [String: Any])?["code"] as? String }
}

extension TestClientProtocol {
    /// Sends a JSON request with the given credentials and parses the JSON answer.
    func call(_ method: HTTPRequest.Method, _ uri: String, apiKey: String? = nil, admin: String? = nil, json: String? = nil) async throws -> JSONResponse {
        var headers: HTTPFields = [:]
        if let apiKey { headers[.apiKey] = apiKey }
        if let admin { headers[.authorization] = "Bearer \(admin)" }
        if json != nil { headers[.contentType] = "application/json" }
        let response = try await executeRequest(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
        let bytes = Data(response.body.readableBytesView)
        let object = bytes.isEmpty ? [:] : ((try? JSONSerialization.jsonObject(with: bytes)) as? [String: Any] ?? [:])
        return JSONResponse(status: response.status, object: object)
    }

    /// Creates a binary market `id` as the admin.
    func createBinaryMarket(_ id: String) async throws {
        let response = try await call(.post, "/markets", admin: Fixture.adminToken, json: #"{"marketId":"\#(id)","title":"Test?"}"#)
        #expect(response.status == .created)
    }

    /// Places a limit order.
    func limit(_ apiKey: String, market: String, outcome: String, side: String, shares: String, price: String,
               clientOrderId: String? = nil) async throws -> JSONResponse {
        let client = clientOrderId.map { #","clientOrderId":"\#($0)""# } ?? ""
        return try await call(.post, "/orders", apiKey: apiKey, json: """
            {"marketId":"\(market)","outcomeId":"\(outcome)","side":"\(side)","type":"LIMIT","shares":"\(shares)","price":"\(price)","playerId":"p-1"\(client)}
            """)
    }

    /// The book of an outcome as raw JSON.
    func book(market: String, outcome: String) async throws -> JSONResponse {
        try await call(.get, "/markets/\(market)/outcomes/\(outcome)/book", apiKey: Fixture.key1)
    }
}

/// Polls `condition` until it holds or `timeout` passes.
func eventually(timeout: Duration = .seconds(10), _ condition: @Sendable () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
