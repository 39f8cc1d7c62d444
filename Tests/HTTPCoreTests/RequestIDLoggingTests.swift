import HTTPCore
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

/// Every log line about a request carries the id the caller sees (`request.id`), and no other
/// (Hummingbird's `hb.request.id`, which `context.id` reads, holds the same value).
@Suite struct RequestIDLoggingTests {
    final class CapturedLines: Sendable {
        let lines = Mutex<[(message: String, metadata: Logger.Metadata)]>([])
    }

    struct CapturingHandler: LogHandler {
        let captured: CapturedLines
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            captured.lines.withLock { $0.append((event.message.description, merged)) }
        }
    }

    @Test func logLinesAndContextCarryTheAnsweredID() async throws {
        let captured = CapturedLines()
        let logger = Logger(label: "test") { _ in CapturingHandler(captured: captured) }
        let router = Router()
        StandardMiddleware.install(on: router, service: "test", settings: HTTPServerSettings(port: 0), checks: [])
        router.get("/probe") { _, context -> Response in
            context.logger.info("probe handled")
            return Response(status: .ok, headers: [.init("X-Context-Id")!: context.id])
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
        try await app.test(.router) { client in
            try await client.execute(uri: "/probe", method: .get, headers: [.requestID: "caller-id-42"]) { response in
                #expect(response.headers[.requestID] == "caller-id-42")
                #expect(response.headers[.init("X-Context-Id")!] == "caller-id-42")
            }
        }
        let line = try #require(captured.lines.withLock { $0 }.first { $0.message == "probe handled" })
        #expect(line.metadata["request.id"] == "caller-id-42")
        #expect(line.metadata["hb.request.id"] == "caller-id-42")
    }
}
