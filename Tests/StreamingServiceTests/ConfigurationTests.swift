import HTTPCore
import LiveRooms
import StreamingService
import Testing

@Suite("Configuration")
struct ConfigurationTests {
    static let tokens = ["STREAMING_SERVICE_TOKEN_REPORTS": "r", "STREAMING_SERVICE_TOKEN_INPLAY": "i"]

    @Test("both ingest tokens are required, each named when missing")
    func requiredTokens() {
        #expect(throws: ConfigurationError.missing("STREAMING_SERVICE_TOKEN_REPORTS")) {
            try StreamingConfiguration(environment: EnvironmentReader(["STREAMING_SERVICE_TOKEN_INPLAY": "i"]))
        }
        #expect(throws: ConfigurationError.missing("STREAMING_SERVICE_TOKEN_INPLAY")) {
            try StreamingConfiguration(environment: EnvironmentReader(["STREAMING_SERVICE_TOKEN_REPORTS": "r"]))
        }
    }

    @Test("defaults and overrides")
    func defaults() throws {
        let defaults = try StreamingConfiguration(environment: EnvironmentReader(Self.tokens))
        #expect(defaults.http.port == 8000)
        #expect(defaults.defaultRoom == "public-room")
        #expect(defaults.viewerCapability == "can.stream_public")
        #expect(defaults.historyCapability == "can.stream")
        #expect(defaults.adminToken == nil)
        #expect(defaults.reportsTokens == ["r"])
        #expect(defaults.chat.maxLength == 500 && defaults.chat.maxMessages == 5 && defaults.chat.windowMilliseconds == 10_000)
        #expect(defaults.roomExists("anything-goes") && !defaults.roomExists("a.b"))

        var values = Self.tokens
        values["STREAMING_SERVICE_TOKEN"] = "router"
        values["STREAMING_ROOM_ID"] = "desk"
        values["STREAMING_ROOMS"] = "a, b"
        values["STREAMING_ENTITLEMENTS_CAPABILITY"] = "can.watch"
        values["STREAMING_CHAT_MAX_LENGTH"] = "80"
        values["PORT"] = "9100"
        let custom = try StreamingConfiguration(environment: EnvironmentReader(values))
        #expect(custom.reportsTokens == ["r", "router"])
        #expect(custom.defaultRoom == "desk")
        #expect(custom.roomExists("a") && custom.roomExists("desk") && !custom.roomExists("c"))
        #expect(custom.viewerCapability == "can.watch")
        #expect(custom.chat.maxLength == 80)
        #expect(custom.http.port == 9100)
    }

    @Test("bad values are refused naming the variable")
    func invalid() {
        var values = Self.tokens
        values["STREAMING_ROOM_ID"] = "bad room"
        #expect(throws: ConfigurationError.self) { try StreamingConfiguration(environment: EnvironmentReader(values)) }
        values["STREAMING_ROOM_ID"] = nil
        values["STREAMING_CHAT_RATE_COUNT"] = "zero"
        do {
            _ = try StreamingConfiguration(environment: EnvironmentReader(values))
            Issue.record("expected an error")
        } catch {
            #expect(error.variable == "STREAMING_CHAT_RATE_COUNT")
        }
    }
}
