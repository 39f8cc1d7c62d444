/// Command-line options of `streambench` (`--name value` pairs; see `--help`).
struct BenchOptions: Sendable {
    enum Mode: String, Sendable { case hub, ingest }
    enum Client: String, Sendable { case raw, nio, async }

    var mode: Mode = .hub
    var client: Client = .raw
    var subscribers = 1000
    var messages = 200
    var rate = 0.0
    var payloadBytes = 100
    var wsURL = ""
    var ingestURL = ""
    var token = ""
    var room = "bench-room"
    var publishConcurrency = 32
    var connectConcurrency = 200
    var drainSeconds = 15.0

    static let usage = """
    streambench: opens N WebSocket subscribers, publishes M messages, prints deliveries/s, lost
    messages and latency p50/p90/p99/p999 (from a timestamp inside each message).

      --mode hub|ingest         hub: an in-process server on the suite's WebSocketCore fan-out,
                                messages published straight into the hub (micro-benchmark);
                                ingest: subscribers on --ws-url, messages POSTed to --ingest-url
      --client raw|nio|async    raw: plain non-blocking sockets read by one epoll thread, as a
                                C load generator does (cheapest, default; with --rate, ingest
                                POSTs also go over one raw keep-alive socket); nio: one NIO
                                channel handler per subscriber; async: swift-websocket's client
      --subscribers N           WebSocket subscribers (default 1000)
      --messages M              messages to publish (default 200)
      --rate R                  messages per second, 0 = as fast as possible (default 0)
      --payload-bytes B         padding per message (default 100)
      --ws-url URL              subscriber URL (ingest mode), e.g. ws://127.0.0.1:8000/ws/rooms/bench-room
      --ingest-url URL          e.g. http://127.0.0.1:8000/ingest/reports
      --token T                 bearer token for the ingest URL
      --room R                  room named in ingest bodies (default bench-room)
      --publish-concurrency C   HTTP requests in flight (default 32)
      --drain-seconds S         how long to wait for late deliveries (default 15)
    """

    static func parse(_ arguments: [String]) throws -> BenchOptions {
        var options = BenchOptions()
        var index = 0
        func value() throws -> String {
            index += 1
            guard index < arguments.count else { throw OptionError("missing value for \(arguments[index - 1])") }
            return arguments[index]
        }
        func number<T: LosslessStringConvertible>(_ text: String) throws -> T {
            guard let parsed = T(text) else { throw OptionError("not a number: \(text)") }
            return parsed
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--mode":
                let text = try value()
                guard let mode = Mode(rawValue: text) else { throw OptionError("unknown mode \(text)") }
                options.mode = mode
            case "--client":
                let text = try value()
                guard let client = Client(rawValue: text) else { throw OptionError("unknown client \(text)") }
                options.client = client
            case "--subscribers": options.subscribers = try number(try value())
            case "--messages": options.messages = try number(try value())
            case "--rate": options.rate = try number(try value())
            case "--payload-bytes": options.payloadBytes = try number(try value())
            case "--ws-url": options.wsURL = try value()
            case "--ingest-url": options.ingestURL = try value()
            case "--token": options.token = try value()
            case "--room": options.room = try value()
            case "--publish-concurrency": options.publishConcurrency = try number(try value())
            case "--connect-concurrency": options.connectConcurrency = try number(try value())
            case "--drain-seconds": options.drainSeconds = try number(try value())
            case "--help", "-h": throw OptionError(usage)
            default: throw OptionError("unknown option \(arguments[index])\n\n\(usage)")
            }
            index += 1
        }
        if options.mode == .ingest, options.wsURL.isEmpty || options.ingestURL.isEmpty {
            throw OptionError("ingest mode needs --ws-url and --ingest-url")
        }
        return options
    }
}

struct OptionError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
