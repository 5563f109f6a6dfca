// swift-tools-version: 6.2
import PackageDescription

/// Compiler settings every Shipshape target gets, applied in one loop at the end of this file.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InferIsolatedConformances"),
    .treatAllWarnings(as: .error),
]

let package = Package(
    name: "shipshape",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "shipshape", targets: ["shipshape"]),
        .library(name: "ShipshapeController", targets: ["ShipshapeController"]),
        .library(name: "ShipshapeTesting", targets: ["ShipshapeTesting"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        // MARK: Source
        .systemLibrary(
            name: "CLibGit2",
            pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"])]
        ),
        .target(
            name: "ShipshapeGit",
            dependencies: [
                "CLibGit2",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        // MARK: Desired state
        .target(
            name: "ShipshapeManifest",
            dependencies: [
                .product(name: "Yams", package: "Yams")
            ]
        ),
        // MARK: Backends
        .target(
            name: "ShipshapeAWS",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ]
        ),
        .target(
            name: "ShipshapeDocker",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ]
        ),
        // MARK: Plan and apply
        .target(
            name: "ShipshapeReconcile",
            dependencies: [
                "ShipshapeManifest",
                "ShipshapeAWS",
                "ShipshapeDocker",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // MARK: Run and report
        .target(
            name: "ShipshapeController",
            dependencies: [
                "ShipshapeGit",
                "ShipshapeManifest",
                "ShipshapeReconcile",
                "ShipshapeAWS",
                "ShipshapeDocker",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "shipshape",
            dependencies: [
                "ShipshapeController",
                "ShipshapeReconcile",
                "ShipshapeManifest",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // MARK: Benchmarks
        .executableTarget(
            name: "PlanBenchmark",
            dependencies: ["ShipshapeReconcile"],
            path: "Benchmarks/PlanBenchmark"
        ),
        // MARK: Test support
        .target(
            name: "ShipshapeTesting",
            dependencies: [
                "ShipshapeGit",
                "ShipshapeDocker",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // MARK: Tests
        .testTarget(name: "ShipshapeGitTests", dependencies: ["ShipshapeGit", "ShipshapeTesting"]),
        .testTarget(
            name: "ShipshapeManifestTests",
            dependencies: ["ShipshapeManifest"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "ShipshapeAWSTests",
            dependencies: ["ShipshapeAWS", "ShipshapeTesting"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "ShipshapeDockerTests",
            dependencies: [
                "ShipshapeDocker",
                "ShipshapeTesting",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "ShipshapeReconcileTests", dependencies: ["ShipshapeReconcile", "ShipshapeTesting"]),
        .testTarget(
            name: "ShipshapeControllerTests",
            dependencies: [
                "ShipshapeController",
                "ShipshapeTesting",
                "ShipshapeDocker",
                "ShipshapeAWS",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
    ]
)

for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + strictSettings
}
