import Testing

/// Checks a refused WebSocket upgrade: answered with `status` and the JSON error `code`
/// (WebSocketCore answers a refused upgrade with the APIError's status and body), never 101.
func expectRefusedUpgrade(_ reply: HTTP.Reply, status: Int, code: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(reply.status != 101, "the upgrade must be refused", sourceLocation: sourceLocation)
    #expect(reply.status == status, "status", sourceLocation: sourceLocation)
    #expect(reply.errorCode == code, "error code in \(reply.text)", sourceLocation: sourceLocation)
}
