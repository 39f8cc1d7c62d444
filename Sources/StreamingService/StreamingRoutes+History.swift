import HTTPCore
import Hummingbird
import Logging
import LiveRooms
import Pipeline

extension StreamingRoutes {
    /// `GET /rooms/{roomId}/events?after=N&limit=M` (the history capability): stored room
    /// events after N, as the envelopes viewers receive; warnings (addressed to one viewer)
    /// are left out. `gap` is true when events after N are no longer retained.
    func addHistory(to router: Router<Context>) {
        router.group("rooms")
            .add(middleware: EntitlementMiddleware(capability: configuration.historyCapability, provider: entitlements))
            .get(":roomId/events") { request, context in
                let room = try room(from: context)
                let query = request.uri.queryParameters
                var after: UInt64 = 0
                if let text = query.get("after") {
                    guard let value = UInt64(text) else { throw APIError.badRequest("'after' must be a non-negative integer", code: "invalid_after") }
                    after = value
                }
                var limit = min(100, configuration.replayPageLimit)
                if let text = query.get("limit") {
                    guard let value = Int(text), value >= 1, value <= configuration.replayPageLimit else {
                        throw APIError.badRequest("'limit' must be an integer from 1 to \(configuration.replayPageLimit)", code: "invalid_limit")
                    }
                    limit = value
                }
                let page: ReplayPage
                do {
                    page = try await pipeline.replay(RoomName.subject(room), after: after, limit: limit)
                } catch let error as PipelineError where error.isUnavailable {
                    throw APIError.unavailable("the event pipeline is unavailable; retry later", code: "pipeline_unavailable")
                }
                var body = Array(#"{"room":"#.utf8)
                JSONText.appendString(room, to: &body)
                body += Array(#","events":["#.utf8)
                var first = true
                for event in page.events where RoomEventKind.of(event.payload).onlyFor == nil {
                    if !first { body.append(UInt8(ascii: ",")) }
                    first = false
                    body += Array(RoomEnvelope.event(room: room, sequence: event.sequence, timestamp: event.timestamp, payload: event.payload).readableBytesView)
                }
                let gap = page.firstAvailable > 0 && after + 1 < page.firstAvailable
                body += Array(#"],"next_after":\#(page.nextAfter),"first_available":\#(page.firstAvailable),"last_sequence":\#(page.lastSequence),"gap":\#(gap)}"#.utf8)
                return Response.json(bytes: body)
            }
    }
}
