import BrokerTestSupport
import Foundation
import Pipeline
import Testing

/// Events written by the adapters are readable with the brokers' standard tools: `redis-cli
/// XRANGE` and a `nats-py` JetStream client.
@Suite("Pipeline interoperability", .serialized)
struct PipelineInteropTests {
    /// The repository root (this file is Tests/PipelineTests/PipelineInteropTests.swift).
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Runs a program and returns its standard output, failing on a non-zero exit.
    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw BrokerServerError.failed("\(executable) exited \(process.terminationStatus): \(String(decoding: errorData, as: UTF8.self))")
        }
        return text
    }

    /// The `.venv-tools` Python that has nats-py; records an issue (and gives nil) when it is
    /// missing.
    static func natsPython() -> String? {
        let python = repositoryRoot.appendingPathComponent(".venv-tools/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: python), (try? run(python, ["-c", "import nats"])) != nil else {
            Issue.record("nats-py is not installed in .venv-tools: run `make setup`")
            return nil
        }
        return python
    }

    @Test("redis-cli XRANGE shows the documented fields")
    func redisCLI() async throws {
        let redisCLI = "/usr/bin/redis-cli"
        #expect(FileManager.default.isExecutableFile(atPath: redisCLI), "redis-cli is missing: run `make setup`")
        try await withPipelines(.redis) { pipelines, server in
            let server = try #require(server)
            let pipeline = pipelines[0]
            let first = try await pipeline.publish(subject: "market.m-1", payload: Array(#"{"price":101.5,"side":"buy"}"#.utf8), idempotencyKey: "fill-1")
            let second = try await pipeline.publish(subject: "market.m-2", payload: Array(#"{"price":99}"#.utf8))
            let output = try Self.run(redisCLI, ["-p", String(server.port), "XRANGE", "pipeline:market", "-", "+"])
            let lines = output.split(separator: "\n").map(String.init)
            #expect(lines.count == 2 * 11 - 2)
            #expect(Array(lines.prefix(11)) == [
                "0-\(first)", "seq", "\(first)", "ts", lines[4], "subject", "market.m-1",
                "payload", #"{"price":101.5,"side":"buy"}"#, "idempotency_key", "fill-1",
            ])
            let timestamp = try #require(Int64(lines[4]))
            let replayed = try await pipeline.replay("market.m-1", after: 0, limit: 1)
            #expect(replayed.events.first?.timestamp == timestamp)
            #expect(Array(lines.suffix(9)) == [
                "0-\(second)", "seq", "\(second)", "ts", lines[15], "subject", "market.m-2", "payload", #"{"price":99}"#,
            ])
            let counter = try Self.run(redisCLI, ["-p", String(server.port), "GET", "pipeline:market:seq"])
            #expect(counter.trimmingCharacters(in: .whitespacesAndNewlines) == "2")
            // An operator flushing the script cache costs one reload, not a failed publish.
            _ = try Self.run(redisCLI, ["-p", String(server.port), "SCRIPT", "FLUSH"])
            let third = try await pipeline.publish(subject: "market.m-3", payload: Array(#"{"price":100}"#.utf8))
            #expect(third == 3)
        }
    }

    /// Fetches one stored message by sequence with nats-py and prints it as JSON.
    static let natsReader = """
        import asyncio, json, sys
        import nats

        async def main(url, stream, seq):
            nc = await nats.connect(url)
            js = nc.jetstream()
            msg = await js.get_msg(stream, seq)
            print(json.dumps({
                "stream": stream, "subject": msg.subject, "seq": msg.seq,
                "data": json.loads(msg.data.decode()), "headers": dict(msg.headers or {}),
            }))
            await nc.close()

        asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
        """

    /// Deletes every consumer of a stream with nats-py (as `nats consumer rm` would) and prints
    /// how many there were.
    static let natsConsumerRemover = """
        import asyncio, sys
        import nats

        async def main(url, stream):
            nc = await nats.connect(url)
            jsm = nc.jsm()
            infos = await jsm.consumers_info(stream)
            for info in infos:
                await jsm.delete_consumer(stream, info.name)
            print(len(infos))
            await nc.close()

        asyncio.run(main(sys.argv[1], sys.argv[2]))
        """

    @Test("a consumer deleted on the NATS server is recreated: the subscription goes on with no gap")
    func deletedConsumer() async throws {
        guard let python = Self.natsPython() else { return }
        try await withPipelines(.nats) { pipelines, server in
            let server = try #require(server)
            let pipeline = pipelines[0]
            let subscription = try await pipeline.subscribe("rooms.>", from: .new)
            let reader = Task { try await collect(subscription, count: 10, timeout: .seconds(30)) }
            for index in 1...5 {
                _ = try await pipeline.publish(subject: "rooms.r-1", payload: payload(index))
            }
            // Let the first five arrive, then take the consumer away under the reader.
            try await Task.sleep(for: .milliseconds(500))
            let removed = try Self.run(python, ["-c", Self.natsConsumerRemover, server.url, "PIPELINE_ROOMS"])
            #expect(removed.trimmingCharacters(in: .whitespacesAndNewlines) == "1")
            for index in 6...10 {
                _ = try await pipeline.publish(subject: "rooms.r-1", payload: payload(index))
            }
            let events = try await reader.value
            #expect(events.map(\.sequence) == Array(1...10))
            #expect(events.map(\.payload) == (1...10).map { payload($0) })
        }
    }

    @Test("nats-py reads an event from the JetStream stream")
    func natsPy() async throws {
        guard let python = Self.natsPython() else { return }
        try await withPipelines(.nats) { pipelines, server in
            let server = try #require(server)
            let pipeline = pipelines[0]
            _ = try await pipeline.publish(subject: "overlay.o-1", payload: Array(#"{"title":"first"}"#.utf8))
            let sequence = try await pipeline.publish(subject: "overlay.o-7", payload: Array(#"{"title":"BUY AAPL","price":187.2}"#.utf8), idempotencyKey: "alert-9")
            let output = try Self.run(python, ["-c", Self.natsReader, server.url, "PIPELINE_OVERLAY", String(sequence)])
            let decoded = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
            let message = try #require(decoded)
            #expect(message["subject"] as? String == "overlay.o-7")
            #expect(message["seq"] as? Int == Int(sequence))
            let data = try #require(message["data"] as? [String: Any])
            #expect(data["title"] as? String == "BUY AAPL")
            #expect(data["price"] as? Double == 187.2)
            let headers = try #require(message["headers"] as? [String: Any])
            #expect(headers["Nats-Msg-Id"] as? String == "alert-9")
        }
    }
}
