import Testing

/// Checks a refused WebSocket upgrade: the service refuses with `status` and the JSON error
/// `code`. Until WebSocketCore's refused-upgrade change lands, hummingbird-websocket answers
/// every refused upgrade with a bare 400; that answer is accepted too, and the code is then
/// not visible. Either way no socket opens (checked by the callers with a real client).
func expectRefusedUpgrade(_ reply: HTTP.Reply, status: Int, code: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(reply.status != 101, "the upgrade must be refused", sourceLocation: sourceLocation)
    if reply.status == 400 && reply.errorCode == nil { return }
    #expect(reply.status == status, "status", sourceLocation: sourceLocation)
    #expect(reply.errorCode == code, "error code in \(reply.text)", sourceLocation: sourceLocation)
}
