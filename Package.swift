// swift-tools-version: 6.1
import PackageDescription

/// Settings shared by every target: Swift 6 language mode and explicit `any`, as Hummingbird builds.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "supervision-hub",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "hub", targets: ["hub"]),
        .executable(name: "hub-demo", targets: ["hub-demo"]),
        .executable(name: "province-simulator", targets: ["province-simulator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        // Imported directly (ByteBuffer, channel handlers, HTTP field names, TLS files), so declared, not borrowed
        // from Hummingbird's or AsyncHTTPClient's graph.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    ],
    targets: [
        .target(
            name: "HubModel",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .target(
            name: "HubXML",
            dependencies: ["HubModel", "CLibXML2"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Normalization",
            dependencies: ["HubModel", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        // What a department system needs to talk to the hub (request signing, sample records), without the server.
        .target(
            name: "HubClient",
            dependencies: ["HubModel", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Ingest",
            dependencies: ["HubModel", "Normalization"],
            swiftSettings: swiftSettings
        ),
        // 双随机一公开 and the other supervision rules: draws, ratios, avoidance, joint-visit merging. Pure, no I/O.
        .target(
            name: "Supervision",
            dependencies: ["HubModel", .product(name: "Crypto", package: "swift-crypto"), .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Exchange",
            dependencies: [
                "HubModel",
                "HubXML",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ProvinceSimulator",
            dependencies: [
                "Exchange",
                "HubModel",
                "HubXML",
                "Supervision",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "province-simulator",
            dependencies: [
                "ProvinceSimulator",
                "HubModel",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "HubStore",
            dependencies: [
                "HubModel",
                "Normalization",
                "Ingest",
                "Supervision",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "HubServer",
            dependencies: [
                "HubModel",
                "HubXML",
                "Normalization",
                "Ingest",
                "HubStore",
                "Supervision",
                "Exchange",
                "HubClient",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            resources: [.copy("Console/Templates"), .copy("Console/Static"), .copy("Console/Help")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "hub",
            dependencies: [
                "HubServer",
                "HubStore",
                "HubModel",
                "HubClient",
                "Normalization",
                .product(name: "Hummingbird", package: "hummingbird"),
                "Ingest",
                "Supervision",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The demo: the hub and, in the same process, the provincial simulator. Its own program so that `hub`
        // and HubServer do not link the simulator (a test double).
        .executableTarget(
            name: "hub-demo",
            dependencies: [
                "HubServer",
                "HubStore",
                "HubModel",
                "HubClient",
                "Exchange",
                "ProvinceSimulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "JointMonth",
            dependencies: ["HubModel", "Supervision", .product(name: "Crypto", package: "swift-crypto")],
            path: "Benchmarks/JointMonth",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "BenchSupport",
            dependencies: [
                "HubStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Benchmarks/BenchSupport",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "DrawBenchmark",
            dependencies: [
                "BenchSupport",
                "HubStore",
                "HubModel",
                "Supervision",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Benchmarks/DrawBenchmark",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "RiskBenchmark",
            dependencies: [
                "BenchSupport",
                "HubStore",
                "HubModel",
                "Supervision",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Benchmarks/RiskBenchmark",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "IngestBenchmark",
            dependencies: [
                "BenchSupport",
                "HubServer",
                "HubStore",
                "HubModel",
                "HubXML",
                "HubClient",
                "Normalization",
                "Supervision",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Benchmarks/IngestBenchmark",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HubModelTests",
            dependencies: ["HubModel", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SupervisionTests",
            dependencies: ["Supervision", "HubModel", .product(name: "Crypto", package: "swift-crypto")],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "IngestTests",
            dependencies: ["Ingest", "HubModel", "Normalization"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HubXMLTests",
            dependencies: ["HubXML", "HubModel"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ExchangeTests",
            dependencies: ["Exchange", "ProvinceSimulator", "HubModel", "HubXML"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "NormalizationTests",
            dependencies: ["Normalization", "HubModel"],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HubServerTests",
            dependencies: [
                "HubServer",
                "HubModel",
                "HubStore",
                "Ingest",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HubClientTests",
            dependencies: ["HubClient", "HubModel"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HubIntegrationTests",
            dependencies: [
                "HubServer",
                "HubStore",
                "HubModel",
                "HubXML",
                "HubClient",
                "Normalization",
                "Ingest",
                "Exchange",
                "ProvinceSimulator",
                "Supervision",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
