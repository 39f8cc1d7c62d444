import HTTPCore
import MarketEngine

/// One execution report for streaming: an order changed (placed, filled, partially filled,
/// cancelled). Built from an ORDER_UPDATE of a durable command.
public struct ExecutionReport: Sendable, Hashable {
    /// `er-<journal start>-<journal sequence>-<event index>` (as ``PendingEvent/idempotencyKey``):
    /// stable, sent as `X-Idempotency-Key`.
    public var reportId: String
    /// The order update the report carries.
    public var update: OrderUpdate

    /// A report.
    public init(reportId: String, update: OrderUpdate) {
        self.reportId = reportId
        self.update = update
    }

    /// The ingest body:
    /// `{"room":"<room>","payload":{"type":"execution_report","reportId":...,"marketId":...,
    /// "operatorId":...,"order":{...},"timestamp":...}}` (the order in the seed's ORDER_UPDATE
    /// shape, amounts as strings).
    public func body(roomId: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        out.append(contentsOf: #"{"room":"#.utf8)
        JSONText.appendString(roomId, to: &out)
        out.append(contentsOf: #","payload":{"type":"execution_report","reportId":"#.utf8)
        JSONText.appendString(reportId, to: &out)
        out.append(contentsOf: #","marketId":"#.utf8)
        JSONText.appendString(update.marketId, to: &out)
        out.append(contentsOf: #","operatorId":"#.utf8)
        JSONText.appendString(update.operatorId, to: &out)
        out.append(contentsOf: #","order":"#.utf8)
        EventJSONEncoder().write(update.order, into: &out)
        out.append(contentsOf: #","timestamp":"#.utf8)
        out.append(contentsOf: String(update.timestamp).utf8)
        out.append(contentsOf: "}}".utf8)
        return out
    }
}
