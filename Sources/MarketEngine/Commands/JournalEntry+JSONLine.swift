extension JournalEntry {
    /// Appends the entry's JSON line (no newline) to `bytes`: the same members, order and
    /// values as ``jsonLine()``, written directly for the two commands that make up nearly all
    /// of a journal (placing and cancelling orders), through `JSONEncoder` for the others.
    /// `JSONEncoder` costs more per order than matching it does. The bytes are `JSONEncoder`'s
    /// except for two control characters in strings (`\u0008`, `\u000c` where it writes `\b`,
    /// `\f`), which read back the same.
    public func appendJSONLine(to bytes: inout [UInt8]) throws {
        switch command {
        case .placeOrder(let place):
            appendLine(type: "PLACE_ORDER", capacity: 320, into: &bytes) { payload, writer in
                if let clientOrderId = place.clientOrderId { payload.string("clientOrderId", clientOrderId, &writer) }
                payload.string("marketId", place.marketId, &writer)
                payload.string("operatorId", place.operatorId, &writer)
                payload.string("outcomeId", place.outcomeId, &writer)
                payload.string("playerId", place.playerId, &writer)
                if let price = place.price { payload.decimalString("price", price, &writer) }
                payload.decimalString("shares", place.shares, &writer)
                payload.raw("side", place.side.rawValue, &writer)
                payload.raw("type", place.type.rawValue, &writer)
            }
        case .cancelOrder(let cancel):
            appendLine(type: "CANCEL_ORDER", capacity: 160, into: &bytes) { payload, writer in
                payload.string("operatorId", cancel.operatorId, &writer)
                payload.string("orderId", cancel.orderId, &writer)
            }
        case .createMarket, .changeMarketStatus:
            bytes.append(contentsOf: try jsonLine().utf8)
        }
    }

    /// `{"command":{"payload":{...},"type":...},"sequence":...,"timestamp":...}`, the payload's
    /// members (in key order) written by `members`.
    private func appendLine(
        type: String,
        capacity: Int,
        into bytes: inout [UInt8],
        members: (inout JSONObjectWriter, inout ByteWriter) -> Void
    ) {
        var writer = ByteWriter(capacity: capacity)
        var entry = JSONObjectWriter(opening: &writer)
        entry.key("command", &writer)
        var command = JSONObjectWriter(opening: &writer)
        command.key("payload", &writer)
        var payload = JSONObjectWriter(opening: &writer)
        members(&payload, &writer)
        payload.close(&writer)
        command.raw("type", type, &writer)
        command.close(&writer)
        appendTail(entry: &entry, writer: &writer, into: &bytes)
    }

    /// `"sequence"` and `"timestamp"` after the command, the closing brace, then the copy out.
    private func appendTail(entry: inout JSONObjectWriter, writer: inout ByteWriter, into bytes: inout [UInt8]) {
        entry.key("sequence", &writer)
        writer.appendDigits(sequence)
        entry.integer("timestamp", timestamp, &writer)
        entry.close(&writer)
        writer.copy(into: &bytes)
    }
}
