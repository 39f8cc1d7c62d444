import HTTPCore
import Logging
import Testing

@Suite struct ConfigurationTests {
    @Test func missingSecretNamesTheVariable() {
        let environment = EnvironmentReader(["OTHER": "x", "EMPTY": ""])
        #expect(throws: ConfigurationError.missing("STREAMING_SERVICE_TOKEN_REPORTS")) {
            try environment.requiredSecret("STREAMING_SERVICE_TOKEN_REPORTS")
        }
        #expect(throws: ConfigurationError.missing("EMPTY")) { try environment.requiredSecret("EMPTY") }
        #expect(ConfigurationError.missing("X_TOKEN").description.contains("X_TOKEN"))
    }

    @Test func typedValuesWithDefaults() throws {
        let environment = EnvironmentReader(["PORT": "9000", "LOG_LEVEL": "debug", "LOG_FORMAT": "json", "FLAG": "yes", "LIST": "a, b,,c"])
        let settings = try HTTPServerSettings(environment: environment, defaultPort: 8000)
        #expect(settings.port == 9000)
        #expect(settings.logLevel == .debug)
        #expect(settings.logFormat == .json)
        #expect(try environment.bool("FLAG", default: false))
        #expect(environment.list("LIST") == ["a", "b", "c"])
        let defaults = try HTTPServerSettings(environment: EnvironmentReader([:]), defaultPort: 8084)
        #expect(defaults.port == 8084)
        #expect(defaults.logFormat == .text)
    }

    @Test func invalidValuesAreRefusedWithTheirName() {
        #expect(throws: ConfigurationError.self) { try HTTPServerSettings(environment: EnvironmentReader(["PORT": "70000"]), defaultPort: 1) }
        #expect(throws: ConfigurationError.self) { try HTTPServerSettings(environment: EnvironmentReader(["LOG_LEVEL": "loud"]), defaultPort: 1) }
        do {
            _ = try HTTPServerSettings(environment: EnvironmentReader(["LOG_FORMAT": "xml"]), defaultPort: 1)
            Issue.record("expected an error")
        } catch {
            #expect(error.variable == "LOG_FORMAT")
        }
    }

    @Test func processEnvironmentIsRead() {
        #expect(EnvironmentReader().string("PATH") != nil)
    }
}
