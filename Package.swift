// swift-tools-version:6.1
import PackageDescription

/// One set of Swift settings for every target: Swift 6 language mode (strict concurrency) plus
/// the upcoming features the Hummingbird packages use.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let hummingbird = Target.Dependency.product(name: "Hummingbird", package: "hummingbird")
let hummingbirdTesting = Target.Dependency.product(name: "HummingbirdTesting", package: "hummingbird")
let hummingbirdWebSocket = Target.Dependency.product(name: "HummingbirdWebSocket", package: "hummingbird-websocket")
let wsClient = Target.Dependency.product(name: "WSClient", package: "swift-websocket")
let logging = Target.Dependency.product(name: "Logging", package: "swift-log")
let metrics = Target.Dependency.product(name: "Metrics", package: "swift-metrics")
let prometheus = Target.Dependency.product(name: "Prometheus", package: "swift-prometheus")
let serviceLifecycle = Target.Dependency.product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
let unixSignals = Target.Dependency.product(name: "UnixSignals", package: "swift-service-lifecycle")
let nioCore = Target.Dependency.product(name: "NIOCore", package: "swift-nio")
let nioPosix = Target.Dependency.product(name: "NIOPosix", package: "swift-nio")
let nioHTTP1 = Target.Dependency.product(name: "NIOHTTP1", package: "swift-nio")
let nioConcurrencyHelpers = Target.Dependency.product(name: "NIOConcurrencyHelpers", package: "swift-nio")
let nioEmbedded = Target.Dependency.product(name: "NIOEmbedded", package: "swift-nio")
let asyncHTTPClient = Target.Dependency.product(name: "AsyncHTTPClient", package: "async-http-client")

/// What every service application library builds on.
let serviceDependencies: [Target.Dependency] = [
    "HTTPCore", "WebSocketCore", "Pipeline", "Entitlements", "SecurityPrimitives",
    hummingbird, hummingbirdWebSocket, logging, metrics, serviceLifecycle, asyncHTTPClient, nioCore,
]

/// What every service's tests build on: real sockets, real brokers.
let serviceTestDependencies: [Target.Dependency] = [
    "HTTPCore", "WebSocketCore", "Pipeline", "Entitlements", "SecurityPrimitives", "BrokerTestSupport", "WebSocketTestSupport",
    hummingbird, hummingbirdTesting, hummingbirdWebSocket, logging, nioCore, asyncHTTPClient, serviceLifecycle,
]

/// An executable is thin: it reads its configuration and runs the application its library builds.
func service(_ name: String, library: String) -> Target {
    .executableTarget(
        name: name,
        dependencies: [.byName(name: library), "HTTPCore", "Pipeline", serviceLifecycle, logging],
        swiftSettings: swiftSettings
    )
}

func library(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .target(name: name, dependencies: dependencies, swiftSettings: swiftSettings)
}

func tests(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .testTarget(name: name, dependencies: dependencies, swiftSettings: swiftSettings)
}

let package = Package(
    name: "trading-streaming-suite",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "streaming", targets: ["streaming"]),
        .executable(name: "order-router", targets: ["order-router"]),
        .executable(name: "market-ws", targets: ["market-ws"]),
        .executable(name: "inplay", targets: ["inplay"]),
        .executable(name: "streambench", targets: ["streambench"]),
        .executable(name: "inplayws-bench", targets: ["inplayws-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket.git", from: "1.6.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    ],
    targets: [
        // MARK: C libraries from Debian packages
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        // hiredis's pkg-config file adds `-D_FILE_OFFSET_BITS=64`, which SwiftPM refuses with a warning;
        // its header sits on the default include path, so the module map links it directly.
        .systemLibrary(name: "CHiredis", providers: [.apt(["libhiredis-dev"])]),
        .systemLibrary(name: "CNats", pkgConfig: "libnats", providers: [.apt(["libnats-dev"])]),
        .systemLibrary(name: "CEpoll"),
        .systemLibrary(name: "CSpawn"),

        // MARK: Shared libraries
        library("SecurityPrimitives", ["COpenSSL"]),
        library("Entitlements", [logging, asyncHTTPClient, nioCore, nioHTTP1]),
        library("HTTPCore", ["SecurityPrimitives", "Entitlements", hummingbird, logging, metrics, prometheus, serviceLifecycle, unixSignals]),
        library("WebSocketCore", ["HTTPCore", hummingbird, hummingbirdWebSocket, logging, metrics, nioCore, nioHTTP1, nioConcurrencyHelpers]),
        library("Pipeline", ["CHiredis", "CNats", logging, metrics, serviceLifecycle, nioCore]),
        library("BrokerTestSupport", ["CSpawn"]),
        library("WebSocketTestSupport", [nioCore, nioPosix]),
        library("BenchSupport", []),

        // MARK: Domain libraries (no HTTP)
        library("MarketEngine", ["SecurityPrimitives"]),
        library("SetupDetection", []),
        library("LiveRooms", []),
        library("MarketFeed", ["MarketEngine", "SecurityPrimitives", logging]),

        // MARK: Service applications (HTTP/WebSocket wiring; executables only run them)
        library("StreamingService", serviceDependencies + ["LiveRooms", .product(name: "NIOWebSocket", package: "swift-nio")]),
        library("OrderRouterService", serviceDependencies + ["MarketEngine", nioPosix, nioHTTP1]),
        library("MarketWSService", serviceDependencies + ["MarketFeed", "MarketEngine", nioHTTP1]),
        library("InPlayService", serviceDependencies + ["SetupDetection"]),

        // MARK: Executables
        service("streaming", library: "StreamingService"),
        service("order-router", library: "OrderRouterService"),
        service("market-ws", library: "MarketWSService"),
        service("inplay", library: "InPlayService"),

        // MARK: Tools
        .executableTarget(
            name: "streambench",
            dependencies: [wsClient, asyncHTTPClient, logging, nioCore, nioPosix, nioHTTP1, .product(name: "NIOWebSocket", package: "swift-nio"), hummingbird, hummingbirdWebSocket, "WebSocketCore", "HTTPCore", "CEpoll", "BenchSupport"],
            swiftSettings: swiftSettings
        ),

        .executableTarget(
            name: "wsconformance",
            dependencies: ["WebSocketCore", "HTTPCore", hummingbird, hummingbirdWebSocket, logging],
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "pipelinebench", dependencies: ["Pipeline", "BrokerTestSupport", logging], swiftSettings: swiftSettings),
        .executableTarget(
            name: "marketbench",
            dependencies: ["MarketWSService", "OrderRouterService", "MarketEngine", "HTTPCore", "WebSocketCore", "WebSocketTestSupport", "Pipeline", hummingbird, asyncHTTPClient, logging, nioCore, nioPosix, nioHTTP1],
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "matchbench", dependencies: ["MarketEngine"], swiftSettings: swiftSettings),
        .executableTarget(
            name: "orderbench",
            dependencies: ["OrderRouterService", "MarketEngine", "HTTPCore", "Pipeline", "CEpoll", "BenchSupport", asyncHTTPClient, hummingbird, logging, nioCore, nioHTTP1, serviceLifecycle],
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "inplaybench", dependencies: ["SetupDetection"], swiftSettings: swiftSettings),
        .executableTarget(
            name: "inplayws-bench",
            dependencies: ["InPlayService", "SetupDetection", "HTTPCore", "WebSocketCore", "Pipeline", "BrokerTestSupport", "WebSocketTestSupport", asyncHTTPClient, logging, nioCore, serviceLifecycle],
            swiftSettings: swiftSettings
        ),

        // MARK: Tests
        tests("SecurityPrimitivesTests", ["SecurityPrimitives"]),
        tests("EntitlementsTests", ["Entitlements", hummingbird, hummingbirdTesting, asyncHTTPClient, logging, nioCore]),
        tests("HTTPCoreTests", ["HTTPCore", "Entitlements", hummingbird, hummingbirdTesting, logging, nioCore]),
        tests("PipelineTests", [
            "Pipeline", "BrokerTestSupport", logging, serviceLifecycle,
            .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
        ]),
        tests("MarketEngineTests", ["MarketEngine", "SecurityPrimitives"]),
        tests("SetupDetectionTests", ["SetupDetection"]),
        tests("LiveRoomsTests", ["LiveRooms"]),
        tests("MarketFeedTests", ["MarketFeed", "MarketEngine", "SecurityPrimitives", logging]),
        tests("StreamingServiceTests", serviceTestDependencies + ["StreamingService", "LiveRooms"]),
        tests("OrderRouterServiceTests", serviceTestDependencies + ["OrderRouterService", "MarketEngine", nioHTTP1]),
        tests("MarketWSServiceTests", serviceTestDependencies + ["MarketWSService", "MarketFeed", "MarketEngine", nioHTTP1]),
        tests("InPlayServiceTests", serviceTestDependencies + ["InPlayService", "SetupDetection"]),
        tests("WebSocketCoreTests", ["WebSocketCore", "HTTPCore", "WebSocketTestSupport", nioPosix, nioEmbedded, hummingbird, hummingbirdTesting, hummingbirdWebSocket, logging, nioCore, serviceLifecycle]),
    ]
)
