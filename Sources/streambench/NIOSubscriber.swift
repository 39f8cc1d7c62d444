import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// Connects one ``BenchFrameHandler`` subscriber to a `ws://host:port/path?query` URL.
enum NIOSubscriber {
    static func connect(url: String, pool: SubscriberPool, expected: Int) async throws {
        guard url.hasPrefix("ws://") else { throw OptionError("only ws:// URLs are supported: \(url)") }
        let rest = url.dropFirst(5)
        let authority = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(authority.count)
        let host = String(authority.prefix { $0 != ":" })
        let port = Int(authority.drop { $0 != ":" }.dropFirst()) ?? 80
        let upgraded = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let upgrader = NIOTypedWebSocketClientUpgrader<Bool>(maxFrameSize: 1 << 20) { channel, _ in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(BenchFrameHandler(pool: pool, expected: expected))
                            return true
                        }
                    }
                    var headers = HTTPHeaders()
                    headers.add(name: "Host", value: String(authority))
                    headers.add(name: "Content-Length", value: "0")
                    let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path.isEmpty ? "/" : String(path), headers: headers)
                    let configuration = NIOTypedHTTPClientUpgradeConfiguration(
                        upgradeRequestHead: head,
                        upgraders: [upgrader],
                        notUpgradingCompletionHandler: { channel in channel.eventLoop.makeCompletedFuture { false } }
                    )
                    return try channel.pipeline.syncOperations.configureUpgradableHTTPClientPipeline(configuration: .init(upgradeConfiguration: configuration))
                }
            }
        guard try await upgraded.get() else { throw OptionError("upgrade refused by \(url)") }
    }
}
