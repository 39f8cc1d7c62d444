import Foundation
import HTTPCore
import InPlayService
import Pipeline
import SetupDetection
import Testing

@Suite struct InPlayConfigurationTests {
    static let base = ["INPLAY_WATCHLISTS": "momentum=AAPL,MSFT;futures=ES,NQ", "INPLAY_SERVICE_TOKEN": "t"]

    static func failure(_ values: [String: String]) -> ConfigurationError? {
        do {
            _ = try InPlayConfiguration(environment: EnvironmentReader(values))
            return nil
        } catch {
            return error
        }
    }

    @Test func readsDefaults() throws {
        let configuration = try InPlayConfiguration(environment: EnvironmentReader(Self.base))
        #expect(configuration.http.port == 8081)
        #expect(configuration.watchlists.map(\.id) == ["momentum", "futures"])
        #expect(configuration.streaming == nil)
        #expect(configuration.barSubjects == "marketdata.bars.>")
        #expect(configuration.pipeline.backend == .memory)
    }

    @Test func missingOrMalformedVariablesAreNamed() {
        var noWatchlists = Self.base
        noWatchlists["INPLAY_WATCHLISTS"] = nil
        #expect(Self.failure(noWatchlists)?.variable == "INPLAY_WATCHLISTS")
        var malformed = Self.base
        malformed["INPLAY_WATCHLISTS"] = "momentum=AAPL,,MSFT"
        let error = Self.failure(malformed)
        #expect(error?.variable == "INPLAY_WATCHLISTS")
        #expect(error?.description.contains("empty symbol") == true)
        var noToken = Self.base
        noToken["INPLAY_SERVICE_TOKEN"] = ""
        #expect(Self.failure(noToken)?.variable == "INPLAY_SERVICE_TOKEN")
        var urlOnly = Self.base
        urlOnly["STREAMING_INGEST_URL"] = "http://streaming:8000"
        #expect(Self.failure(urlOnly)?.variable == "STREAMING_SERVICE_TOKEN_INPLAY")
        var badURL = Self.base
        badURL["STREAMING_INGEST_URL"] = "streaming:8000"
        badURL["STREAMING_SERVICE_TOKEN_INPLAY"] = "s"
        #expect(Self.failure(badURL)?.variable == "STREAMING_INGEST_URL")
        var badBackend = Self.base
        badBackend["STREAMING_PIPELINE_BACKEND"] = "kafka"
        #expect(Self.failure(badBackend)?.description.contains("STREAMING_PIPELINE_BACKEND") == true)
    }

    @Test func streamingForwardIsReadWhenBothVariablesAreSet() throws {
        var values = Self.base
        values["STREAMING_INGEST_URL"] = "http://streaming:8000/"
        values["STREAMING_SERVICE_TOKEN_INPLAY"] = "s"
        values["INPLAY_STREAMING_ROOM"] = "desk"
        let streaming = try #require(try InPlayConfiguration(environment: EnvironmentReader(values)).streaming)
        #expect(streaming.ingestURL == "http://streaming:8000/ingest/inplay")
        #expect(streaming.room == "desk")
        #expect(streaming.token == "s")
    }

    @Test func csvReplayFeedsDetectionBeforeStart() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("inplay-replay-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let csv = """
            timestamp,symbol,open,high,low,close,volume
            2024-03-19T10:00:00Z,AAPL,101,101.5,99.5,100,10
            2024-03-19T10:01:00Z,AAPL,99.8,102.5,99.4,102,10
            2024-03-19T10:01:00Z,AAPL,99.8,102.5,99.4,102,10
            2024-03-19T10:00:00Z,TSLA,1,2,1,1.5,1
            """
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        let service = try await InPlayApplication.build(
            configuration: try InPlayTestSupport.configuration(csvReplayPath: path), pipeline: MemoryPipeline(),
            logger: InPlayTestSupport.logger, now: UTCTime(InPlayTestSupport.day)
        )
        let report = try #require(service.replayReport)
        #expect(report.accepted == 2)
        #expect(report.ignored == 1)
        #expect(report.rejected.map(\.index) == [2])
        let payload = try #require(await service.monitor.payload(for: "momentum", session: .london))
        let setup = try #require(payload.symbols.first { $0.symbol == "AAPL" }?.setups.first)
        #expect(setup.strategy == .engulfing)
        #expect(setup.entry == 102)

        try "timestamp,symbol,open,high,low,close,volume\n2024-03-19T10:00:00Z,AAPL,1,abc,1,1,1\n".write(toFile: path, atomically: true, encoding: .utf8)
        await #expect(throws: ConfigurationError.self) {
            _ = try await InPlayApplication.build(
                configuration: try InPlayTestSupport.configuration(csvReplayPath: path), pipeline: MemoryPipeline(),
                logger: InPlayTestSupport.logger
            )
        }
    }
}
