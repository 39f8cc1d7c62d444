@testable import HTTPCore
import Logging
import Testing

@Suite("Text log lines")
struct TextLogHandlerTests {
    @Test("a line has the time, level, label, sorted metadata (the event's over the logger's) and the message")
    func lineShape() {
        var handler = TextLogHandler(label: "order-router")
        handler[metadataKey: "service.name"] = "order-router"
        handler[metadataKey: "request.id"] = "abc"
        #expect(handler[metadataKey: "request.id"] == "abc")
        let event = LogEvent(level: .warning, message: "journal slow", metadata: ["request.id": "def", "journal.ms": "12"],
                             source: nil, file: #fileID, function: #function, line: #line)
        let line = handler.line(for: event, timestamp: "2026-11-22T01:50:00.123+0000")
        #expect(line == "2026-11-22T01:50:00.123+0000 warning order-router: journal.ms=12 request.id=def service.name=order-router journal slow\n")
    }
}
