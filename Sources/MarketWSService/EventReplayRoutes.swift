import CoreMetrics
import HTTPCore
import Hummingbird
import MarketFeed
import Pipeline

/// `GET /events?after=N&limit=M&marketId=X`: the retained events (24 h by default) after a
/// sequence, public ones and the caller's own private ones only.
///
/// `nextAfter` is the sequence of the last event *examined*, not the last returned: other
/// operators' private events filtered out still advance it, so paging with
/// `after = nextAfter` never repeats nor skips an event.
struct EventReplayRoutes: Sendable {
    let pipeline: any EventPipeline
    let authenticator: OperatorAuthenticator
    let maxLimit: Int
    let metrics: MarketWSMetrics

    /// Pipeline pages examined per request at most (bounds the work when most events are
    /// filtered out; the caller continues from `nextAfter`).
    static let maxScannedPages = 20

    func add<Context: RequestContext>(to router: Router<Context>) {
        router.get("/events") { request, _ -> Response in
            let operatorId = try authenticator.restOperator(request)
            let query = request.uri.queryParameters
            var after: UInt64 = 0
            if let text = query.get("after") {
                guard let value = UInt64(text) else {
                    throw APIError.badRequest("after must be a non-negative integer", code: "invalid_after")
                }
                after = value
            }
            var limit = 100
            if let text = query.get("limit") {
                guard let value = Int(text), value >= 1, value <= maxLimit else {
                    throw APIError.badRequest("limit must be an integer from 1 to \(maxLimit)", code: "invalid_limit")
                }
                limit = value
            }
            var filter = "market.>"
            if let marketId = query.get("marketId") {
                guard !marketId.isEmpty, marketId.utf8.count <= 200, !marketId.contains("."), !marketId.contains("*"),
                      !marketId.contains(">"), !marketId.contains(" ") else {
                    throw APIError.badRequest("marketId is not a valid market id", code: "invalid_market_id")
                }
                filter = "market.\(marketId)"
            }
            metrics.replayRequests.increment()
            let page = try await page(filter: filter, after: after, limit: limit, operatorId: operatorId)
            return Response.json(bytes: page)
        }
    }

    func page(filter: String, after: UInt64, limit: Int, operatorId: String) async throws -> [UInt8] {
        var cursor = after
        var messages: [[UInt8]] = []
        var firstAvailable: UInt64 = 0
        var lastSequence: UInt64 = 0
        var scanned = 0
        var exhausted = false
        scan: while messages.count < limit, scanned < Self.maxScannedPages {
            let replay: ReplayPage
            do {
                replay = try await pipeline.replay(filter, after: cursor, limit: limit)
            } catch let error as PipelineError where error.isUnavailable {
                throw APIError.unavailable("the event store is unreachable", code: "pipeline_unavailable")
            }
            scanned += 1
            if scanned == 1 { firstAvailable = replay.firstAvailable }
            lastSequence = replay.lastSequence
            if replay.events.isEmpty {
                exhausted = true
                break
            }
            for pipelineEvent in replay.events {
                cursor = pipelineEvent.sequence
                guard let event = try? FeedEvent(sequence: pipelineEvent.sequence, payload: pipelineEvent.payload),
                      event.visibility.allows(operatorId) else { continue }
                messages.append(event.message)
                if messages.count == limit { break scan }
            }
            if replay.events.count < limit {
                exhausted = true
                break
            }
        }
        var out = Array(#"{"events":["#.utf8)
        for (index, message) in messages.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: message)
        }
        let hasMore = !exhausted && cursor < lastSequence
        let truncated = after + 1 < firstAvailable
        out.append(contentsOf: #"],"nextAfter":\#(cursor),"hasMore":\#(hasMore),"firstAvailable":\#(firstAvailable),"lastSequence":\#(lastSequence),"truncated":\#(truncated)}"#.utf8)
        return out
    }
}
