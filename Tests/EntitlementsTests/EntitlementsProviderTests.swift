import AsyncHTTPClient
import Entitlements
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import NIOCore
import Testing

@Suite struct EntitlementsProviderTests {
    static let document = """
    {
      "plans": {
        "free": {"capabilities": ["can.stream_public"], "limits": {"limit.stream_overlays": 1}},
        "pro": {"capabilities": ["can.stream", "can.stream_public"], "limits": {"limit.stream_overlays": 10, "limit.stream_bitrate": 6000}}
      },
      "customers": {
        "cus_pro": {"plan": "pro"},
        "cus_free_plus": {"plan": "free", "capabilities": ["can.stream"], "limits": {"limit.stream_overlays": 3}}
      }
    }
    """

    @Test func filePlansAndCustomerOverrides() async throws {
        let provider = try FileEntitlementsProvider(json: Array(Self.document.utf8))
        let pro = try #require(try await provider.entitlements(for: "cus_pro"))
        #expect(pro.allows(Capability.stream))
        #expect(pro.limit(Capability.limitStreamBitrate) == 6000)
        let plus = try #require(try await provider.entitlements(for: "cus_free_plus"))
        #expect(plus.allows(Capability.stream) && plus.allows(Capability.streamPublic))
        #expect(plus.limit(Capability.limitStreamOverlays) == 3)
        #expect(try await provider.entitlements(for: "cus_nobody") == nil)
    }

    @Test func fileWithUnknownPlanOrBadJSONIsRefused() {
        #expect(throws: EntitlementsError.self) {
            try FileEntitlementsProvider(json: Array(#"{"customers":{"c":{"plan":"gold"}}}"#.utf8))
        }
        #expect(throws: EntitlementsError.self) { try FileEntitlementsProvider(json: Array("{".utf8)) }
    }

    @Test func bypassAllowsEverything() async throws {
        let entitlements = try await BypassEntitlementsProvider().entitlements(for: "anyone")
        #expect(entitlements?.allows(Capability.streamPublic) == true)
        #expect(entitlements?.allows(Capability.stream) == true)
    }

    @Test func configurationChoosesAProviderOrRefusesToRunOpen() throws {
        let logger = Logger(label: "test")
        #expect(try EntitlementsConfiguration.makeProvider(environment: ["ENTITLEMENTS_BYPASS": "1"], logger: logger) is BypassEntitlementsProvider)
        #expect(try EntitlementsConfiguration.makeProvider(environment: ["ENTITLEMENTS_URL": "http://127.0.0.1:1"], logger: logger) is RemoteEntitlementsProvider)
        #expect(throws: EntitlementsError.notConfigured) { try EntitlementsConfiguration.makeProvider(environment: [:], logger: logger) }
        #expect(throws: EntitlementsError.self) { try EntitlementsConfiguration.makeProvider(environment: ["ENTITLEMENTS_FILE": "/nonexistent.json"], logger: logger) }
    }

    /// A real HTTP entitlements service on a loopback port, counting the calls it gets.
    @Test func remoteProviderCachesPositiveAndNegativeAnswers() async throws {
        let calls = Mutex<[String: Int]>([:])
        let failing = Mutex(false)
        let router = Router()
        router.get("/entitlements/:id") { request, context -> Response in
            let id = try context.parameters.require("id")
            calls.withLock { $0[id, default: 0] += 1 }
            #expect(request.headers[.authorization] == "Bearer ent-token")
            if failing.withLock({ $0 }) { return Response(status: .internalServerError) }
            switch id {
            case "cus_pro":
                return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: #"{"capabilities":["can.stream"],"limits":{"limit.stream_bitrate":6000}}"#)))
            default:
                return Response(status: .notFound)
            }
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let provider = RemoteEntitlementsProvider(
                baseURL: "http://127.0.0.1:\(port)/",
                token: "ent-token",
                client: .shared,
                cache: EntitlementsCache(ttl: .seconds(60), negativeTTL: .milliseconds(200)),
                logger: Logger(label: "test")
            )
            for _ in 0..<3 {
                let answer = try await provider.entitlements(for: "cus_pro")
                #expect(answer?.limit(Capability.limitStreamBitrate) == 6000)
            }
            #expect(calls.withLock { $0["cus_pro"] } == 1, "positive answers are cached")
            #expect(try await provider.entitlements(for: "cus_ghost") == nil)
            #expect(try await provider.entitlements(for: "cus_ghost") == nil)
            #expect(calls.withLock { $0["cus_ghost"] } == 1, "unknown customers are cached negatively")
            try await Task.sleep(for: .milliseconds(300))
            failing.withLock { $0 = true }
            await #expect(throws: EntitlementsError.self) { try await provider.entitlements(for: "cus_ghost") }
            await #expect(throws: EntitlementsError.self) { try await provider.entitlements(for: "cus_ghost") }
            #expect(calls.withLock { $0["cus_ghost"] } == 3, "failures are not cached")
        }
    }

    @Test func unreachableRemoteThrowsUnavailable() async throws {
        let provider = RemoteEntitlementsProvider(
            baseURL: "http://127.0.0.1:1",
            token: nil,
            client: .shared,
            cache: EntitlementsCache(ttl: .seconds(60), negativeTTL: .seconds(1)),
            timeout: .seconds(1),
            logger: Logger(label: "test")
        )
        await #expect(throws: EntitlementsError.self) { try await provider.entitlements(for: "cus_pro") }
    }
}
