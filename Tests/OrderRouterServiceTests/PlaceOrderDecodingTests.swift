import Foundation
import HTTPCore
@testable import OrderRouterService
import Testing

/// The fast path for order bodies must read exactly what JSONDecoder reads, and step aside
/// (nil) wherever JSONDecoder would refuse or read differently.
@Suite("Order body decoding")
struct PlaceOrderDecodingTests {
    private func fast(_ text: String) -> PlaceOrderRequest? {
        Array(text.utf8).withUnsafeBytes { FlatJSONObject($0) }.flatMap(PlaceOrderRequest.init(flat:))
    }

    private func decoded(_ text: String) -> PlaceOrderRequest? {
        try? JSONDecoder().decode(PlaceOrderRequest.self, from: Data(text.utf8))
    }

    private func fields(_ request: PlaceOrderRequest) -> [String?] {
        [request.marketId, request.outcomeId, request.side, request.type, request.shares.text, request.price?.text, request.playerId, request.clientOrderId]
    }

    @Test("same request as JSONDecoder when the fast path reads it", arguments: [
        #"{"marketId":"m-1","outcomeId":"m-1-yes","side":"BUY","type":"LIMIT","shares":"150","price":"0.65","playerId":"p-1"}"#,
        #"{"marketId":"m","outcomeId":"o","side":"sell","shares":150,"price":0.65,"playerId":"p","clientOrderId":"c-1","extra":true}"#,
        #"{"marketId":"m","outcomeId":"o","side":"BUY","type":"MARKET","shares":"2","price":null,"playerId":"p","clientOrderId":null,"type2":1}"#,
        #"{"marketId":"m","outcomeId":"o","side":"BUY","shares":1e2,"playerId":"p"}"#,
    ])
    func sameAsJSONDecoder(body: String) throws {
        let viaFast = try #require(fast(body))
        let viaDecoder = try #require(decoded(body))
        #expect(fields(viaFast) == fields(viaDecoder))
    }

    @Test("bodies JSONDecoder refuses or the subset leaves out are not read by the fast path", arguments: [
        #"{"outcomeId":"o","side":"BUY","shares":"1","playerId":"p"}"#,
        #"{"marketId":1,"outcomeId":"o","side":"BUY","shares":"1","playerId":"p"}"#,
        #"{"marketId":"m","outcomeId":"o","side":"BUY","shares":true,"playerId":"p"}"#,
        #"{"marketId":"m","outcomeId":"o","side":"BUY","shares":"1","price":false,"playerId":"p"}"#,
        #"{"marketId":"m","outcomeId":"o","side":"BUY","shares":1e400,"playerId":"p"}"#,
        #"{"marketId":"m","outcomeId":"o","side":"BUY","shares":"1","type":5,"playerId":"p"}"#,
        #"{"marketId":"m","outcomeId":"o","side":"BUY","shares":"1","playerId":"p","clientOrderId":7}"#,
        #"{"marketId":"m\"x","outcomeId":"o","side":"BUY","shares":"1","playerId":"p"}"#,
    ])
    func leftToJSONDecoder(body: String) {
        #expect(fast(body) == nil)
    }
}
