// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "provision",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "provision", targets: ["provision"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    ],
    targets: [
        // Pure values: the manifest model, addresses, schema types, the differ, the plan and its safety. No I/O.
        .target(name: "PlanModel"),
        // The manifest language: YAML loading, interpolation, the parser, the JSON Schema and reference generators.
        .target(
            name: "ManifestLanguage",
            dependencies: ["PlanModel", .product(name: "Yams", package: "Yams")]
        ),
        // The engine: every operation, the request pipeline, matching, the journal and the state roles.
        .target(
            name: "Reconciler",
            dependencies: [
                "PlanModel", "ManifestLanguage",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
            ]
        ),
        // Views of results: plan text, Markdown and JSON, colour, apply progress, the dependency graph.
        .target(
            name: "Rendering",
            dependencies: ["PlanModel", "Reconciler"]
        ),
        .target(
            name: "PostgresState",
            dependencies: [
                "PlanModel", "Reconciler",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .target(
            name: "Banks",
            dependencies: [
                "PlanModel", "Reconciler",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
            ]
        ),
        .target(
            name: "Sandbox",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "provision",
            dependencies: [
                "PlanModel", "ManifestLanguage", "Reconciler", "Rendering",
                "PostgresState",
                "Banks",
                "Sandbox",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "provision-bench",
            dependencies: [
                "Reconciler", "PlanModel", "ManifestLanguage", "Rendering", "Banks", "Sandbox",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Benchmarks/ProvisionBench"
        ),
        // What several test targets share: a repeatable random number generator, certificates made for a test.
        .target(
            name: "TestSupport",
            dependencies: [.product(name: "X509", package: "swift-certificates"), .product(name: "Crypto", package: "swift-crypto")],
            path: "Tests/TestSupport"),
        .testTarget(name: "PlanModelTests", dependencies: ["PlanModel", "ManifestLanguage", "TestSupport"]),
        .testTarget(name: "ManifestLanguageTests", dependencies: ["ManifestLanguage", "PlanModel", "TestSupport", .product(name: "Yams", package: "Yams")]),
        .testTarget(name: "RenderingTests", dependencies: ["Rendering", "PlanModel", "Reconciler"], exclude: ["Golden"]),
        .testTarget(name: "ReconcilerTests", dependencies: ["Reconciler", "PlanModel", "TestSupport"]),
        .testTarget(
            name: "BanksTests",
            dependencies: [
                "Banks", "Reconciler", "PlanModel", "ManifestLanguage", "Sandbox", "TestSupport", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "SandboxTests",
            dependencies: [
                "Sandbox", "Reconciler", "PlanModel", "ManifestLanguage", "Rendering", "Banks", "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .testTarget(
            name: "PostgresStateTests",
            dependencies: [
                "PostgresState", "Reconciler", "PlanModel",
                .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "provision", "Sandbox", "PostgresState", "Reconciler", "PlanModel", "ManifestLanguage", "Banks", "TestSupport",
                .product(name: "X509", package: "swift-certificates"), .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "Yams", package: "Yams"),
            ],
            exclude: ["Browser"]),
    ]
)
